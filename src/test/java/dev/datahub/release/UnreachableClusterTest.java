package dev.datahub.release;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.DataHubException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An API server that cannot be reached fails the first cluster call in one line naming the context and the server,
 * within the connect timeout — not after the client's retries as a raw exception.
 */
class UnreachableClusterTest {

  @TempDir Path tmp;

  EnvironmentSpec staging(String server) throws Exception {
    Path kubeconfig = tmp.resolve("kubeconfig.yaml");
    Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\n"
        + "clusters:\n- name: \"far\"\n  cluster:\n    server: \"" + server + "\"\n    insecure-skip-tls-verify: true\n"
        + "users:\n- name: \"u\"\n  user:\n    token: \"t0ken\"\n"
        + "contexts:\n- name: \"staging-ctx\"\n  context:\n    cluster: \"far\"\n    user: \"u\"\n"
        + "current-context: \"staging-ctx\"\n");
    return new EnvironmentSpec("staging", kubeconfig, "staging-ctx", "staging", "hub", List.of(), List.of(), null,
        null, true, true, null);
  }

  DataHubException firstCall(EnvironmentSpec env) {
    long t0 = System.nanoTime();
    try (KubeTarget target = KubeTarget.open(env)) {
      DataHubException e = assertThrows(DataHubException.class, () -> target.client().leases().list());
      System.out.printf("unreachable API server reported after %d ms: %s%n",
          Duration.ofNanos(System.nanoTime() - t0).toMillis(), e.getMessage());
      assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos(), "named within the connect timeout");
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
      return e;
    }
  }

  @Test
  void refusedConnectionNamesContextAndServer() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    DataHubException e = firstCall(staging("https://127.0.0.1:" + port));
    assertTrue(e.getMessage().startsWith("cannot reach the Kubernetes API server https://127.0.0.1:" + port
        + "/ of context 'staging-ctx' (environment 'staging'): "), e.getMessage());
    assertTrue(e.getMessage().endsWith("— check the server in the kubeconfig, the network or VPN to the cluster, and "
        + "that the cluster is running"), e.getMessage());
  }

  @Test
  void aServerThatNeverAnswersFailsWithinTheTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0)) { // accepts connections (backlog) but never says a word
      DataHubException e = firstCall(staging("https://127.0.0.1:" + silent.getLocalPort()));
      assertTrue(e.getMessage().contains("of context 'staging-ctx'"), e.getMessage());
      assertTrue(e.getMessage().contains("no answer within 4 s"), e.getMessage());
    }
  }

  @Test
  void aZeroTimeoutIsRefusedBeforeAnythingRuns() {
    DataHubException e = assertThrows(DataHubException.class, () -> new EnvironmentSpec("staging", null, "ctx", "ns",
        "hub", null, null, null, Duration.ZERO, true, true, null));
    assertTrue(e.getMessage().startsWith("<timeout> of environment 'staging' must be more than 0"), e.getMessage());
  }
}
