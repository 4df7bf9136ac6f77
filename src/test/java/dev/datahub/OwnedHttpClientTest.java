package dev.datahub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

public class OwnedHttpClientTest {

  /** Names of the live selector threads of java.net.http clients (one per client, until it is stopped). */
  public static Set<String> selectorThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.startsWith("HttpClient-") && n.endsWith("-SelectorManager")).collect(Collectors.toSet());
  }

  /**
   * Selector threads started since {@code before}. Other tests' clients in this JVM may stop meanwhile (a collected
   * client's selector ends), so only new threads count.
   */
  public static Set<String> newSince(Set<String> before) {
    Set<String> now = new java.util.TreeSet<>(selectorThreads());
    now.removeAll(before);
    return now;
  }

  @Test
  void noClientUntilUsedAndNoSelectorThreadAfterCloseEvenAfterRequests() throws Exception {
    Set<String> before = selectorThreads();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, 2);
      exchange.getResponseBody().write("ok".getBytes());
      exchange.close();
    });
    server.start();
    try (OwnedHttpClient owned = OwnedHttpClient.http11(Duration.ofSeconds(5), HttpClient.Redirect.NEVER)) {
      assertFalse(owned.created());
      assertEquals(Set.of(), newSince(before), "nothing started before the first request");
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      HttpClient first = owned.get();
      assertEquals("ok", first.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body());
      assertEquals(1, newSince(before).size());
      owned.close();
      assertEquals(Set.of(), newSince(before), "close() ended the selector thread, with a kept-alive connection open");

      HttpClient second = owned.get();
      assertNotSame(first, second, "a closed client is rebuilt on the next use");
      assertEquals("ok", second.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body());
    } finally {
      server.stop(0);
    }
    assertEquals(Set.of(), newSince(before));
  }

  @Test
  void aBorrowedClientKeepsRunning() throws Exception {
    Set<String> before = selectorThreads();
    HttpClient client = HttpClient.newHttpClient();
    client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:9/")).build(),
        HttpResponse.BodyHandlers.discarding()).exceptionally(e -> null).join();
    Set<String> mine = newSince(before);
    assertEquals(1, mine.size(), "the client's selector runs");
    OwnedHttpClient borrowed = OwnedHttpClient.borrowed(client);
    assertSame(client, borrowed.get());
    borrowed.close();
    assertTrue(selectorThreads().containsAll(mine), "someone else's client is not stopped");
    OwnedHttpClient.stop(client);
    assertFalse(selectorThreads().containsAll(mine), "stop() ends it");
  }

  @Test
  void aPlainHttpClientSpeaksHttpAndRefusesTlsInsteadOfConnectingUnverified() throws Exception {
    AtomicInteger reached = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      reached.incrementAndGet();
      exchange.sendResponseHeaders(200, 2);
      exchange.getResponseBody().write("ok".getBytes());
      exchange.close();
    });
    server.start();
    int port = server.getAddress().getPort();
    try (OwnedHttpClient owned = OwnedHttpClient.plainHttp11(Duration.ofSeconds(5), HttpClient.Redirect.NEVER)) {
      HttpClient client = owned.get();
      assertNotSame(SSLContext.getDefault(), client.sslContext(), "no default TLS context is set up");
      HttpRequest plain = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build();
      assertEquals("ok", client.send(plain, HttpResponse.BodyHandlers.ofString()).body());
      assertEquals(1, reached.get());

      // https and wss to the same port: the client must fail before a byte is sent, not talk without verification
      HttpRequest tls = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/")).build();
      Exception https = assertThrows(Exception.class, () -> client.send(tls, HttpResponse.BodyHandlers.ofString()));
      assertTrue(String.valueOf(https.getMessage()).contains("TLS refused")
          || String.valueOf(https.getCause()).contains("TLS refused"), https::toString);
      CompletionException wss = assertThrows(CompletionException.class, () -> client.newWebSocketBuilder()
          .buildAsync(URI.create("wss://127.0.0.1:" + port + "/"), new WebSocket.Listener() { }).join());
      assertTrue(wss.getCause().toString().contains("TLS refused"), wss::toString);
      assertEquals(1, reached.get(), "nothing reached the server over the refused connections");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void theOrdinaryClientKeepsTheDefaultTlsContext() throws Exception {
    try (OwnedHttpClient owned = OwnedHttpClient.http11(Duration.ofSeconds(5), HttpClient.Redirect.NEVER)) {
      assertSame(SSLContext.getDefault(), owned.get().sslContext());
    }
  }
}
