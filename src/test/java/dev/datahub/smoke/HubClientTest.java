package dev.datahub.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.datahub.DataHubException;
import dev.datahub.log.StepLog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP rules, checked on the wire against a loopback server: HTTP/1.1 only, bounded, no retries of answers. */
class HubClientTest {

  HttpServer server;
  final List<String> requests = new CopyOnWriteArrayList<>();
  final AtomicInteger calls = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/hub/api/", exchange -> {
      calls.incrementAndGet();
      requests.add(exchange.getProtocol() + " " + exchange.getRequestURI() + " " + exchange.getRequestHeaders().entrySet());
      byte[] body = "{\"version\": \"9.9.9\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.createContext("/hub/health", exchange -> {
      calls.incrementAndGet();
      exchange.sendResponseHeaders(503, -1);
      exchange.close();
    });
    server.createContext("/silent/hub/api/", exchange -> {
      try {
        Thread.sleep(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    server.createContext("/stop/hub/api/users/", exchange -> {
      // the user's name says what the hub answers: 204, 202, 400-pending, 400-not-running
      String[] answer = exchange.getRequestURI().getPath().replaceAll(".*/users/([^/]+)/server", "$1").split("-", 2);
      byte[] body = answer.length > 1 ? ("{\"message\": \"" + answer[1] + "\"}").getBytes(StandardCharsets.UTF_8) : new byte[0];
      exchange.sendResponseHeaders(Integer.parseInt(answer[0]), body.length == 0 ? -1 : body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  HubClient client(String path) {
    return new HubClient(url(path), new HubToken("tok-123456", "test"), StepLog.silent());
  }

  @Test
  void speaksHttp11WithoutAnUpgradeAndSendsTheTokenOnlyAsAHeader() throws Exception {
    assertEquals("9.9.9", client("/").version(Deadline.after(Duration.ofSeconds(5), "t")));
    String request = requests.get(0);
    assertTrue(request.startsWith("HTTP/1.1 /hub/api/ "), request);
    assertFalse(request.toLowerCase().contains("upgrade"), request);
    assertTrue(request.contains("Authorization=[token tok-123456]"), request);
    assertFalse(request.startsWith("HTTP/1.1 /hub/api/?"), "never in the URL");
  }

  @Test
  void aSilentServerIsBoundedByTheDeadline() {
    long t0 = System.nanoTime();
    DataHubException e = assertThrows(DataHubException.class,
        () -> client("/silent/").version(Deadline.after(Duration.ofMillis(800), "totalTimeout")));
    long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
    assertTrue(ms < 3000, "took " + ms + " ms");
    assertEquals("totalTimeout of 0.8 s exceeded while reading the hub version", e.getMessage());
  }

  @Test
  void httpErrorsAreReportedNotRetried() {
    DataHubException e = assertThrows(DataHubException.class,
        () -> client("/").health(Deadline.after(Duration.ofSeconds(5), "t")));
    assertTrue(e.getMessage().startsWith("hub is unhealthy: GET /hub/health answered HTTP 503"), e.getMessage());
    assertEquals(1, calls.get(), "an answer, even an error, is never retried");
  }

  @Test
  void aPlainHttpHubGetsAClientWithoutTlsAndAnHttpsHubTheVerifyingOne() throws Exception {
    HubClient plain = client("/");
    HubClient tls = new HubClient(URI.create("https://hub.example.org/"), new HubToken("tok-123456", "test"),
        StepLog.silent());
    try {
      assertFalse(plain.http().sslContext() == javax.net.ssl.SSLContext.getDefault(), "http:// needs no TLS set-up");
      assertTrue(tls.http().sslContext() == javax.net.ssl.SSLContext.getDefault(), "https:// verifies as always");
      assertEquals("9.9.9", plain.version(Deadline.after(Duration.ofSeconds(5), "t")));
    } finally {
      plain.close();
      tls.close();
    }
  }

  @Test
  void onlyAStopTheHubWaitedFor204CountsAsGoneWithoutLookingAgain() throws Exception {
    HubClient hub = client("/stop/");
    Deadline d = Deadline.after(Duration.ofSeconds(5), "t");
    assertEquals(HubClient.Stop.GONE, hub.stopServer("204", d));
    assertEquals(HubClient.Stop.STOPPING, hub.stopServer("202", d));
    // JupyterHub 3.0: "… is pending spawn, please wait"; older hubs: "… is not running" also while a spawn is pending
    assertEquals(HubClient.Stop.BUSY, hub.stopServer("400-is pending spawn, please wait", d));
    assertEquals(HubClient.Stop.STOPPING, hub.stopServer("400-is not running", d));
    hub.close();
  }
}
