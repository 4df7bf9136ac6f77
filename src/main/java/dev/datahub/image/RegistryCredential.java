package dev.datahub.image;

import java.util.Optional;

/**
 * A username/password for one registry host. {@link #toString()} never shows the password.
 */
public record RegistryCredential(String username, String password) {

  @Override
  public String toString() {
    return "RegistryCredential[user=" + username + "]";
  }

  /** Finds the credential for a registry host (e.g. {@code ghcr.io}, {@code 127.0.0.1:5000}). */
  @FunctionalInterface
  public interface Lookup {
    Optional<RegistryCredential> forRegistry(String registryHost);

    static Lookup none() {
      return host -> Optional.empty();
    }
  }
}
