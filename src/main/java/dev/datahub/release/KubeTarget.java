package dev.datahub.release;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.datahub.DataHubException;
import dev.datahub.Fix;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster of one environment, reached through the kubeconfig and the environment's pinned context. Both fabric8
 * and Helm use exactly that context: Helm gets a private copy of the kubeconfig whose current context is the pinned
 * one (helm-java has no context option), written with owner-only permissions outside the build directory and deleted
 * after the call.
 */
public final class KubeTarget implements AutoCloseable {

  private final EnvironmentSpec env;
  private final Map<String, Object> kubeconfig;
  private KubernetesClient client;

  private KubeTarget(EnvironmentSpec env, Map<String, Object> kubeconfig) {
    this.env = env;
    this.kubeconfig = kubeconfig;
  }

  /** Default kubeconfig: {@code KUBECONFIG} (first entry) or {@code ~/.kube/config}. */
  public static Path defaultKubeconfig() {
    String env = System.getenv("KUBECONFIG");
    if (env != null && !env.isBlank()) {
      return Path.of(env.split(java.io.File.pathSeparator)[0]);
    }
    return Path.of(System.getProperty("user.home"), ".kube", "config");
  }

  /** Opens the environment's cluster; refuses a kubeconfig without the environment's context. */
  public static KubeTarget open(EnvironmentSpec env) {
    Path file = env.kubeconfig() == null ? defaultKubeconfig() : env.kubeconfig();
    if (!Files.isRegularFile(file)) {
      throw new DataHubException("kubeconfig " + file + " not found for environment '" + env.name()
          + "' — set <kubeconfig> or KUBECONFIG");
    }
    Map<String, Object> parsed;
    try {
      parsed = Values.YAML.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (IOException e) {
      throw new DataHubException("kubeconfig " + file + " is not valid YAML — fix or regenerate it");
    }
    List<String> contexts = new ArrayList<>();
    if (parsed.get("contexts") instanceof List<?> list) {
      for (Object c : list) {
        if (c instanceof Map<?, ?> m && m.get("name") != null) {
          contexts.add(String.valueOf(m.get("name")));
        }
      }
    }
    if (!contexts.contains(env.kubeContext())) {
      throw new DataHubException("kubeconfig " + file + " has no context '" + env.kubeContext() + "' required by "
          + "environment '" + env.name() + "' (it has " + contexts + ") — use the kubeconfig for that cluster "
          + "({} or KUBECONFIG), or fix {}", Fix.property("datahub." + env.name() + ".kubeconfig", "…"),
          Fix.element("kubeContext"));
    }
    KubeTarget target = new KubeTarget(env, parsed);
    target.resolveRelativePaths(file.toAbsolutePath().getParent());
    return target;
  }

  public EnvironmentSpec environment() {
    return env;
  }

  /** Bounds the first contact: an unreachable API server is named within this, not after the client's retries. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(4);

  /** The environment's cluster client; the first call proves the API server answers (see {@link #probe}). */
  public synchronized KubernetesClient client() {
    if (client == null) {
      Config config = Config.fromKubeconfig(env.kubeContext(), helmKubeconfigYaml(), null);
      config.setNamespace(env.namespace());
      probe(config);
      client = new KubernetesClientBuilder().withConfig(config).build();
    }
    return client;
  }

  /**
   * Asks the API server for its version with short timeouts and no retries, so a wrong server address, a missing
   * VPN or a stopped cluster fails in seconds with the context and server named — before anything is read or
   * changed — instead of after the client's retries as a raw exception. An HTTP answer of any status means the
   * server is reachable; only the lack of one fails here.
   */
  private void probe(Config config) {
    Config quick = Config.fromKubeconfig(env.kubeContext(), helmKubeconfigYaml(), null);
    quick.setConnectionTimeout((int) PROBE_TIMEOUT.toMillis());
    quick.setRequestTimeout((int) PROBE_TIMEOUT.toMillis());
    quick.setRequestRetryBackoffLimit(0);
    KubernetesClient probe = new KubernetesClientBuilder().withConfig(quick).build();
    // A hard bound too: the client's connect and request timeouts add up (TCP, TLS handshake, request).
    java.util.concurrent.CompletableFuture<String> answer = java.util.concurrent.CompletableFuture.supplyAsync(() ->
        probe.getKubernetesVersion().getGitVersion());
    try {
      answer.get(PROBE_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof KubernetesClientException k && k.getCode() > 0) {
        return; // it answered (e.g. 401/403 on /version): reachable; the real call reports the status
      }
      throw unreachable(config, rootCause(e));
    } catch (java.util.concurrent.TimeoutException e) {
      throw unreachable(config, "no answer within " + PROBE_TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unreachable(config, "interrupted");
    } finally {
      answer.cancel(true);
      // Closing waits for a request still in flight; the answer is known, so let that happen in the background.
      Thread closer = new Thread(probe::close, "datahub-kube-probe-close");
      closer.setDaemon(true);
      closer.start();
    }
  }

  private DataHubException unreachable(Config config, String why) {
    return new DataHubException("cannot reach the Kubernetes API server " + config.getMasterUrl() + " of context '"
        + env.kubeContext() + "' (environment '" + env.name() + "'): " + why + " — check the server in the "
        + "kubeconfig, the network or VPN to the cluster, and that the cluster is running");
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.SocketTimeoutException
        || t instanceof java.io.InterruptedIOException) {
      return "no answer within " + PROBE_TIMEOUT.toSeconds() + " s";
    }
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " " + message);
  }

  /** The kubeconfig as Helm must see it: current-context set to the pinned context. */
  String helmKubeconfigYaml() {
    Map<String, Object> copy = new LinkedHashMap<>(kubeconfig);
    copy.put("current-context", env.kubeContext());
    try {
      return Values.YAML.writeValueAsString(copy);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the pinned kubeconfig for one Helm call; the caller deletes it. */
  Path writeHelmKubeconfig() {
    try {
      Path file = Files.createTempFile("datahub-kubeconfig-", ".yaml",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, helmKubeconfigYaml());
      return file;
    } catch (UnsupportedOperationException | IOException e) {
      throw new DataHubException("cannot write a temporary kubeconfig for Helm: " + e.getMessage()
          + " — check java.io.tmpdir");
    }
  }

  @SuppressWarnings("unchecked")
  private void resolveRelativePaths(Path baseDir) {
    for (String section : List.of("clusters", "users")) {
      if (!(kubeconfig.get(section) instanceof List<?> list)) {
        continue;
      }
      for (Object entry : list) {
        if (entry instanceof Map<?, ?> named) {
          Object inner = named.get(section.equals("clusters") ? "cluster" : "user");
          if (inner instanceof Map<?, ?> fields) {
            Map<String, Object> m = (Map<String, Object>) fields;
            for (String key : List.of("certificate-authority", "client-certificate", "client-key", "tokenFile")) {
              if (m.get(key) instanceof String p && !Path.of(p).isAbsolute()) {
                m.put(key, baseDir.resolve(p).toString());
              }
            }
          }
        }
      }
    }
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
    }
  }
}
