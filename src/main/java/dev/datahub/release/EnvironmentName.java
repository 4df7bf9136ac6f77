package dev.datahub.release;

import java.util.Arrays;
import java.util.Optional;

/** The two environments of the process: staging, where a release is tested, and prod, which gets only what passed. */
public enum EnvironmentName {
  STAGING("staging"), PROD("prod");

  private final String id;

  EnvironmentName(String id) {
    this.id = id;
  }

  /** The name used in configuration, records and file names: {@code staging} or {@code prod}. */
  public String id() {
    return id;
  }

  /** The environment called {@code name}, if it is one of the two. */
  public static Optional<EnvironmentName> of(String name) {
    return Arrays.stream(values()).filter(e -> e.id.equals(name)).findFirst();
  }
}
