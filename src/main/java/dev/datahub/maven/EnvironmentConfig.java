package dev.datahub.maven;

import dev.datahub.DataHubException;
import dev.datahub.release.EnvironmentSpec;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One of {@code <environments><staging>} / {@code <prod>}. */
public class EnvironmentConfig {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|m|h)?");

  /** Required: the kubeconfig context of this environment's cluster. */
  String kubeContext;

  /** Default: KUBECONFIG (first entry) or ~/.kube/config. */
  File kubeconfig;

  String namespace;

  /** Helm release name. */
  String release;

  /** Extra values files, after the common ones. */
  List<File> values;

  /** Values files with secrets: never logged, never copied under target/. */
  List<File> secretValues;

  /** Default singleuser.image; charts wrapping z2jh use jupyterhub.singleuser.image. */
  String imageValuesPath;

  /** e.g. 10m, 600s, 1h. Default 10m. */
  String timeout;

  /** Roll back to the previous revision when the rollout fails. Default true. */
  Boolean atomic;

  /** Helm --cleanup-on-fail. Default true. */
  Boolean cleanupOnFail;

  /** The hub's public URL, for the smoke test. */
  String hubUrl;

  /**
   * The Kubernetes version charts are rendered for by plan and validate (e.g. 1.33.0); property
   * {@code datahub.<env>.kubeVersion}. Default: the cluster's own version when plan reads the cluster, else 1.33.0.
   */
  String kubeVersion;

  EnvironmentSpec toSpec(String name) {
    return new EnvironmentSpec(name, kubeconfig == null ? null : kubeconfig.toPath(), kubeContext, namespace, release,
        values == null ? List.of() : values.stream().map(File::toPath).toList(),
        secretValues == null ? List.of() : secretValues.stream().map(File::toPath).toList(), imageValuesPath,
        parseTimeout(name, timeout), atomic == null || atomic, cleanupOnFail == null || cleanupOnFail, hubUrl, kubeVersion);
  }

  static Duration parseTimeout(String env, String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new DataHubException("<timeout> of environment '" + env + "' is '" + text + "' — use e.g. 10m, 600s or 1h");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2) == null ? "s" : m.group(2)) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
