package dev.datahub.release;

import dev.datahub.log.Redactor;
import dev.datahub.log.StepLog;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Where a goal gets the {@link HubRelease} of an environment: each one opened once, on first use (a goal that never
 * touches prod never connects to prod's cluster), and every cluster connection closed when the goal ends.
 */
public final class HubReleases implements AutoCloseable {

  private final Function<String, EnvironmentSpec> environments;
  private final Redactor redactor;
  private final StepLog log;
  private final Path workDir;
  private final int keepRecords;
  private final Map<String, HubRelease> opened = new LinkedHashMap<>();
  private final Map<String, KubeTarget> targets = new LinkedHashMap<>();

  /**
   * @param environments the spec of an environment by name; throws when it is not configured
   * @param workDir where generated, non-secret files go (target/datahub/release)
   */
  public HubReleases(Function<String, EnvironmentSpec> environments, Redactor redactor, StepLog log, Path workDir,
      int keepRecords) {
    this.environments = environments;
    this.redactor = redactor;
    this.log = log;
    this.workDir = workDir;
    this.keepRecords = keepRecords;
  }

  public synchronized HubRelease get(String environment) {
    HubRelease release = opened.get(environment);
    if (release == null) {
      KubeTarget target = KubeTarget.open(environments.apply(environment));
      targets.put(environment, target);
      release = new HubRelease(target, redactor, log, Clock.systemUTC(), workDir).keepRecords(keepRecords);
      opened.put(environment, release);
    }
    return release;
  }

  @Override
  public synchronized void close() {
    targets.values().forEach(KubeTarget::close);
    targets.clear();
    opened.clear();
  }
}
