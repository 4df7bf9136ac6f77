package dev.datahub;

import java.util.List;

/**
 * A setting the operator changes to fix a failure, as data: the core names it, a front end words it (the Maven
 * layer as {@code -Ddatahub.…}, {@code <…>} in the pom, settings.xml or {@code mvn datahub:…}; see {@link Wording}).
 */
public sealed interface Fix {

  /** A user property, e.g. {@code datahub.image.force} = {@code true}; {@code value} null names the property only. */
  record Property(String name, String value) implements Fix {}

  /** A configuration element by its path, e.g. {@code [chart, digest]}. */
  record Element(List<String> path) implements Fix {
    public Element {
      path = List.copyOf(path);
    }
  }

  /** Credentials for a server (a registry host, a hub): {@code what} they are, e.g. "your username/password". */
  record Credentials(String serverId, String what) implements Fix {}

  /**
   * A goal to run, with the properties to run it with; {@code phase}, when not null, is the lifecycle phase that runs
   * it in a normal build (e.g. {@code package} for {@code build-image}); {@code command} words it as a command line.
   */
  record Goal(String name, String phase, boolean command, List<Property> with) implements Fix {
    public Goal {
      with = List.copyOf(with);
    }
  }

  static Property property(String name, String value) {
    return new Property(name, value);
  }

  static Element element(String... path) {
    return new Element(List.of(path));
  }

  static Credentials credentials(String serverId, String what) {
    return new Credentials(serverId, what);
  }

  static Goal goal(String name, Property... with) {
    return new Goal(name, null, false, List.of(with));
  }

  /** The goal as a command to type, e.g. {@code mvn datahub:status}. */
  static Goal command(String name, Property... with) {
    return new Goal(name, null, true, List.of(with));
  }

  /** The goal as the lifecycle runs it, e.g. {@code 'mvn package' (datahub:build-image)}. */
  static Goal inPhase(String name, String phase) {
    return new Goal(name, phase, false, List.of());
  }
}
