package dev.datahub.release;

import dev.datahub.DataHubException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One deployment target (staging or prod), validated once at the edge.
 *
 * @param name environment name, e.g. {@code staging}
 * @param kubeconfig the kubeconfig file to read
 * @param kubeContext the context to use; required, never the kubeconfig's current context
 * @param imageValuesPath dotted path of the image block in the chart's values, e.g. {@code singleuser.image}
 * @param kubeVersion the Kubernetes version charts are rendered for offline ({@code 1.33.0}); null: the cluster's
 *     own version when one is reachable, else {@link #DEFAULT_KUBE_VERSION}
 */
public record EnvironmentSpec(
    String name,
    Path kubeconfig,
    String kubeContext,
    String namespace,
    String release,
    List<Path> valuesFiles,
    List<Path> secretValuesFiles,
    String imageValuesPath,
    Duration timeout,
    boolean atomic,
    boolean cleanupOnFail,
    String hubUrl,
    String kubeVersion) {

  public static final String DEFAULT_IMAGE_VALUES_PATH = "singleuser.image";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
  /** A current Kubernetes release; Helm alone would assume v1.20.0, which every z2jh since 3.0 refuses. */
  public static final String DEFAULT_KUBE_VERSION = "1.33.0";

  /** Without a configured Kubernetes version. */
  public EnvironmentSpec(String name, Path kubeconfig, String kubeContext, String namespace, String release,
      List<Path> valuesFiles, List<Path> secretValuesFiles, String imageValuesPath, Duration timeout, boolean atomic,
      boolean cleanupOnFail, String hubUrl) {
    this(name, kubeconfig, kubeContext, namespace, release, valuesFiles, secretValuesFiles, imageValuesPath, timeout,
        atomic, cleanupOnFail, hubUrl, null);
  }

  public EnvironmentSpec {
    if (kubeContext == null || kubeContext.isBlank()) {
      throw new DataHubException("environment '" + name + "' has no <kubeContext> — name the kubeconfig context to deploy "
          + "to; the current context is never used");
    }
    if (namespace == null || namespace.isBlank()) {
      throw new DataHubException("environment '" + name + "' has no <namespace> — set it in <environments><" + name + ">");
    }
    if (release == null || release.isBlank()) {
      throw new DataHubException("environment '" + name + "' has no <release> — set the Helm release name");
    }
    valuesFiles = valuesFiles == null ? List.of() : List.copyOf(valuesFiles);
    secretValuesFiles = secretValuesFiles == null ? List.of() : List.copyOf(secretValuesFiles);
    imageValuesPath = imageValuesPath == null || imageValuesPath.isBlank() ? DEFAULT_IMAGE_VALUES_PATH : imageValuesPath;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    if (timeout.isZero() || timeout.isNegative()) {
      // A zero timeout applies every deploy and at once rolls it back as "not ready in time".
      throw new DataHubException("<timeout> of environment '" + name + "' must be more than 0 — e.g. 10m (the "
          + "default), 600s or 1h");
    }
    kubeVersion = kubeVersion == null || kubeVersion.isBlank() ? null : KubeVersion.check(name, kubeVersion.strip());
  }

  public String describe() {
    return name + " (context " + kubeContext + ", namespace " + namespace + ", release " + release + ")";
  }
}
