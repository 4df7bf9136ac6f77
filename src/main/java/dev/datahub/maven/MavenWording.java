package dev.datahub.maven;

import dev.datahub.Fix;
import dev.datahub.Wording;
import java.util.stream.Collectors;

/**
 * Names a core {@link Fix} in Maven's words, as jib-maven-plugin's helpful suggestions do: a user property as
 * {@code -Ddatahub.…}, a configuration element as {@code <a><b>} of the pom, credentials as a {@code <server>} of
 * settings.xml, a goal as {@code datahub:…} (with {@code mvn} when it is a command to type).
 */
final class MavenWording implements Wording {

  static final MavenWording INSTANCE = new MavenWording();

  private MavenWording() {}

  @Override
  public String name(Fix fix) {
    if (fix instanceof Fix.Property p) {
      return "-D" + p.name() + (p.value() == null ? "" : "=" + p.value());
    }
    if (fix instanceof Fix.Element e) {
      return e.path().stream().map(n -> "<" + n + ">").collect(Collectors.joining());
    }
    if (fix instanceof Fix.Credentials c) {
      return "add a <server> with id '" + c.serverId() + "' and " + c.what() + " to settings.xml";
    }
    Fix.Goal g = (Fix.Goal) fix;
    String goal = "datahub:" + g.name() + g.with().stream().map(p -> " " + name(p)).collect(Collectors.joining());
    if (g.phase() != null) {
      return "'mvn " + g.phase() + "' (" + goal + ")";
    }
    return g.command() ? "mvn " + goal : goal;
  }
}
