package dev.datahub.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.datahub.fixtures.CapturingLog;
import dev.datahub.log.Redactor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hub's version, health and token scopes are asked at once. Whatever order the answers come in, the failure
 * reported is the one a sequential run would report, nothing is created on the hub, and the run ends only after
 * every request has ended. A loopback stand-in for the hub makes one answer slow (the real hub cannot be told to).
 */
class SmokePreflightTest {

  HttpServer server;
  final List<String> requests = new CopyOnWriteArrayList<>();
  final AtomicInteger inFlight = new AtomicInteger();
  volatile int versionStatus = 200;
  volatile int healthStatus = 200;
  volatile long healthDelayMillis;
  volatile String userBody = "{\"kind\": \"service\", \"name\": \"s\", \"scopes\": [\"admin:users\", \"admin:servers\", \"access:servers\"]}";

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      inFlight.incrementAndGet();
      try {
        String path = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
        requests.add(path);
        switch (path) {
          case "GET /hub/api/" -> answer(exchange, versionStatus, "{\"version\": \"3.0.0\"}");
          case "GET /hub/health" -> {
            sleep(healthDelayMillis);
            answer(exchange, healthStatus, "");
          }
          case "GET /hub/api/user" -> answer(exchange, 200, userBody);
          case "DELETE /hub/api/users/datahub-smoke-test/server", "DELETE /hub/api/users/datahub-smoke-test" ->
              answer(exchange, 204, "");
          default -> answer(exchange, 500, "{\"message\": \"not in this test\"}");
        }
      } finally {
        inFlight.decrementAndGet();
      }
    });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      exchange.getResponseBody().write(b);
    }
    exchange.close();
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  SmokeResult run() {
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    SmokeSpec spec = SmokeSpec.of(url).withImports("json")
        .withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(20));
    return new HubSmokeRun(spec, new HubToken("tok-123456", "test"), new Redactor(), new CapturingLog()).run();
  }

  @Test
  void aSlowHealthFailureIsReportedBeforeAScopesFailureThatArrivedFirst() {
    healthStatus = 503;
    healthDelayMillis = 500;
    userBody = "{\"kind\": \"service\", \"name\": \"weak\", \"scopes\": [\"read:users\"]}";

    SmokeResult r = run();

    assertEquals("failed", r.status(), r::toJson);
    assertTrue(r.failure().startsWith("hub is unhealthy: GET /hub/health answered HTTP 503"), r.failure());
    assertEquals("done", r.cleanup());
    assertEquals("skipped", r.checks().get(0).status());
    assertTrue(requests.stream().noneMatch(p -> p.startsWith("POST") || p.startsWith("DELETE")),
        "nothing created or removed on the hub: " + requests);
  }

  @Test
  void theVersionFailureWinsAndTheRunEndsOnlyAfterTheSlowRequestsEnded() {
    versionStatus = 404;
    healthStatus = 404;
    healthDelayMillis = 800;

    SmokeResult r = run();

    assertEquals(0, inFlight.get(), "a request was still in flight when the run returned");
    assertTrue(requests.contains("GET /hub/health"), requests::toString);
    assertTrue(r.failure().startsWith("no JupyterHub API at "), r.failure());
    assertEquals("done", r.cleanup());
  }

  @Test
  void aHealthyHubWithEveryScopeGetsAsFarAsCreatingTheUser() {
    SmokeResult r = run();

    assertTrue(requests.containsAll(List.of("GET /hub/api/", "GET /hub/health", "GET /hub/api/user",
        "POST /hub/api/users/datahub-smoke-test")), requests::toString);
    assertTrue(r.failure().startsWith("hub failed creating user datahub-smoke-test (HTTP 500"), r.failure());
    assertTrue(requests.containsAll(List.of("DELETE /hub/api/users/datahub-smoke-test/server",
        "DELETE /hub/api/users/datahub-smoke-test")), "cleanup ran after the user was touched: " + requests);
    assertEquals("done", r.cleanup());
  }
}
