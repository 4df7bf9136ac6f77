package dev.datahub.release;

import dev.datahub.DataHubException;
import dev.datahub.Fix;
import dev.datahub.Words;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kubernetes version a chart is rendered for offline ({@code .Capabilities.KubeVersion}, and the chart's
 * {@code kubeVersion} constraint). Without one Helm assumes v1.20.0, which every z2jh release since 3.0 refuses.
 *
 * @param version e.g. {@code 1.33.0}
 * @param source where it came from, for messages: the setting that changes it
 */
public record KubeVersion(String version, Words source) {

  private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?([-+][0-9A-Za-z.+-]*)?");
  private static final Pattern INCOMPATIBLE = Pattern.compile(
      "chart requires kubeVersion: (\\S+) which is incompatible with Kubernetes (\\S+)");

  /** The environment's setting, else the cluster's own version, else the default. */
  public static KubeVersion of(EnvironmentSpec env, String clusterVersion) {
    Words setting = Words.of("{} (or {})", Fix.element("environments", env.name(), "kubeVersion"),
        Fix.property("datahub." + env.name() + ".kubeVersion", null));
    if (env.kubeVersion() != null) {
      return new KubeVersion(env.kubeVersion(), setting);
    }
    if (clusterVersion != null && VERSION.matcher(clusterVersion.strip()).matches()) {
      return new KubeVersion(check(env.name(), clusterVersion.strip()),
          Words.of("the cluster's own version; {} overrides it", setting));
    }
    return new KubeVersion(EnvironmentSpec.DEFAULT_KUBE_VERSION, Words.of("the default; set {}", setting));
  }

  /** Validates a configured version and returns it without a leading {@code v} and with a patch number. */
  static String check(String environment, String text) {
    Matcher m = VERSION.matcher(text);
    if (!m.matches()) {
      throw new DataHubException("<kubeVersion> of environment '" + environment + "' is '" + text
          + "' — use a Kubernetes version such as 1.33.0");
    }
    return m.group(1) + "." + m.group(2) + "." + (m.group(3) == null ? "0" : m.group(3))
        + (m.group(4) == null ? "" : m.group(4));
  }

  /**
   * Helm's refusal ({@code chart requires kubeVersion: X which is incompatible with Kubernetes vY}) as one line naming
   * the constraint, the version used and the setting; null for any other message.
   */
  Words explain(String chart, String helmMessage) {
    Matcher m = INCOMPATIBLE.matcher(helmMessage == null ? "" : helmMessage);
    if (!m.find()) {
      return null;
    }
    return Words.of("chart " + chart + " requires Kubernetes " + m.group(1) + " (its Chart.yaml kubeVersion), which "
        + "excludes the version it was rendered for, " + version + " ({}) — set the version your cluster runs", source);
  }
}
