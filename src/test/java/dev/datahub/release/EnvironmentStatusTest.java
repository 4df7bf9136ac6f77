package dev.datahub.release;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.datahub.DataHubException;
import dev.datahub.log.Redactor;
import dev.datahub.log.StepLog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** status reads a cluster that may refuse it; the core says so in its own words, never as a fabric8 exception. */
class EnvironmentStatusTest {

  @TempDir Path tmp;

  @Test
  void aClusterThatRefusesTheReadsIsOneLineNamingReleaseNamespaceAndContext() throws Exception {
    HttpServer forbidding = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    forbidding.createContext("/", exchange -> {
      byte[] body = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\","
          + "\"message\":\"secrets is forbidden: User \\\"ci\\\" cannot list resource \\\"secrets\\\"\",\"code\":403}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(403, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    forbidding.start();
    Path kubeconfig = tmp.resolve("kubeconfig.yaml");
    Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\n"
        + "clusters:\n- name: \"c\"\n  cluster:\n    server: \"http://127.0.0.1:" + forbidding.getAddress().getPort()
        + "\"\n"
        + "users:\n- name: \"u\"\n  user:\n    token: \"t0ken\"\n"
        + "contexts:\n- name: \"staging-ctx\"\n  context:\n    cluster: \"c\"\n    user: \"u\"\n"
        + "current-context: \"staging-ctx\"\n");
    EnvironmentSpec env = new EnvironmentSpec("staging", kubeconfig, "staging-ctx", "hubs", "hub", List.of(), List.of(),
        null, null, true, true, null);
    try (KubeTarget target = KubeTarget.open(env)) {
      HubRelease release = new HubRelease(target, new Redactor(), StepLog.silent(), Clock.systemUTC(), tmp);
      DataHubException e = assertThrows(DataHubException.class, () -> EnvironmentStatus.of(release));
      assertTrue(e.getMessage().startsWith("cannot read the release hub in namespace hubs of context staging-ctx: "),
          e.getMessage());
      assertTrue(e.getMessage().contains("forbidden"), e.getMessage());
      assertTrue(e.getMessage().endsWith(" — check the context's access to the namespace"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    } finally {
      forbidding.stop(0);
    }
  }
}
