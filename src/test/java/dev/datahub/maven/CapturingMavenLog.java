package dev.datahub.maven;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.maven.plugin.logging.SystemStreamLog;

/** Maven's log as a mojo sees it, every line kept ({@code [LEVEL] text}) so tests can search it, e.g. for secrets. */
final class CapturingMavenLog extends SystemStreamLog {

  final List<String> lines;

  CapturingMavenLog() {
    this(new CopyOnWriteArrayList<>());
  }

  /** Appends to {@code lines}, e.g. one list per hub shared by that hub's goals. */
  CapturingMavenLog(List<String> lines) {
    this.lines = lines;
  }

  @Override
  public void info(CharSequence content) {
    lines.add("[INFO] " + content);
  }

  @Override
  public void warn(CharSequence content) {
    lines.add("[WARN] " + content);
  }

  @Override
  public void error(CharSequence content) {
    lines.add("[ERROR] " + content);
  }

  @Override
  public void debug(CharSequence content) {
    lines.add("[DEBUG] " + content);
  }

  @Override
  public boolean isDebugEnabled() {
    return true;
  }
}
