package dev.datahub.maven;

import dev.datahub.DataHubException;
import dev.datahub.log.Redactor;
import dev.datahub.release.EnvironmentName;
import dev.datahub.release.EnvironmentSpec;
import dev.datahub.release.ValuesComposer;
import java.io.File;
import java.util.function.Function;
import java.util.stream.Stream;

/** {@code <environments>} with {@code <staging>} and {@code <prod>}. */
public class Environments {

  EnvironmentConfig staging;

  EnvironmentConfig prod;

  /** The block of the environment called {@code name}; null when it is not configured or not one of the two. */
  EnvironmentConfig named(String name) {
    return EnvironmentName.of(name).map(e -> switch (e) {
      case STAGING -> staging;
      case PROD -> prod;
    }).orElse(null);
  }

  /**
   * The environment called {@code name} as the core sees it; {@code -Ddatahub.<name>.kubeVersion} (read through
   * {@code property}) wins over its {@code <kubeVersion>}.
   */
  EnvironmentSpec spec(String name, Function<String, String> property) {
    EnvironmentConfig config = named(name);
    if (config == null) {
      throw new DataHubException("no <environments><" + name + "> configured — add it (kubeContext, namespace, "
          + "release) to the plugin configuration");
    }
    String kubeVersion = property.apply("datahub." + name + ".kubeVersion");
    if (kubeVersion != null && !kubeVersion.isBlank()) {
      config.kubeVersion = kubeVersion;
    }
    return config.toSpec(name);
  }

  /**
   * Every release goal may meet the environments' secret values — in the live release's stored values (status, plan,
   * rollback), printed by a smoke check, in a Helm message — so all of them are known to the redactor before
   * anything is read or run.
   */
  boolean hasSecretValues() {
    return Stream.of(staging, prod).anyMatch(c -> c != null && c.secretValues != null && !c.secretValues.isEmpty());
  }

  void registerSecrets(Redactor redactor) {
    for (EnvironmentConfig config : new EnvironmentConfig[] {staging, prod}) {
      if (config != null && config.secretValues != null) {
        ValuesComposer.registerSecrets(config.secretValues.stream().map(File::toPath).toList(), redactor);
      }
    }
  }
}
