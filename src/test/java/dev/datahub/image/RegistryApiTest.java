package dev.datahub.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.datahub.DataHubException;
import dev.datahub.fixtures.LocalRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registry client's HTTP behaviour that Debian's registry cannot show: a Bearer-token challenge answered and the
 * request retried, redirects to blob storage without the registry's credentials, errors without secrets. A small
 * loopback server plays the registry, the token service and the blob storage, and records what it received.
 */
class RegistryApiTest {

  static final String USER = "robot";
  static final String PASSWORD = "s3cret-Pa55";
  static final String TOKEN = "tok-7f3a91";
  static final byte[] MANIFEST = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
  static final byte[] BLOB = "layer bytes".getBytes(StandardCharsets.UTF_8);

  final List<HttpServer> servers = new ArrayList<>();
  /** "method path authorization" of every request, per server. */
  final List<String> registryLog = new CopyOnWriteArrayList<>();
  final List<String> storageLog = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  HttpServer server() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    servers.add(server);
    return server;
  }

  static String host(HttpServer server) {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 || exchange.getRequestMethod().equals("HEAD") ? -1 : body.length);
    if (body.length > 0 && !exchange.getRequestMethod().equals("HEAD")) {
      exchange.getResponseBody().write(body);
    }
    exchange.close();
  }

  static String authorization(HttpExchange exchange) {
    return String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** A registry that wants a Bearer token from its own /token service, which wants Basic credentials. */
  HttpServer tokenRegistry() throws IOException {
    HttpServer registry = server();
    String realm = "http://" + host(registry) + "/token";
    registry.createContext("/", exchange -> {
      String path = exchange.getRequestURI().toString();
      registryLog.add(exchange.getRequestMethod() + " " + path + " " + authorization(exchange));
      if (path.startsWith("/token")) {
        boolean scoped = path.contains("scope=repository%3Ahub%2Fuser%3Apull") && path.contains("service=fake");
        answer(exchange, authorization(exchange).equals(basic(USER, PASSWORD)) && scoped ? 200 : 401,
            ("{\"token\":\"" + TOKEN + "\"}").getBytes(StandardCharsets.UTF_8));
      } else if (!authorization(exchange).equals("Bearer " + TOKEN)) {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"fake\"");
        answer(exchange, 401, new byte[0]);
      } else if (path.equals("/v2/hub/user/manifests/1")) {
        exchange.getResponseHeaders().add("Docker-Content-Digest", "sha256:abc");
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.oci.image.manifest.v1+json");
        answer(exchange, 200, MANIFEST);
      } else {
        answer(exchange, 404, new byte[0]);
      }
    });
    registry.start();
    return registry;
  }

  @Test
  void aBearerChallengeIsAnsweredWithATokenFromTheRealmAndTheRequestRetried() throws Exception {
    HttpServer registry = tokenRegistry();
    RegistryApi api = RegistryApi.connect(host(registry), Set.of(host(registry)),
        Optional.of(new RegistryCredential(USER, PASSWORD)), Duration.ofSeconds(10));
    RegistryApi.Manifest manifest = api.manifest("hub/user", "1").orElseThrow();
    assertArrayEquals(MANIFEST, manifest.body());
    assertEquals("sha256:abc", manifest.digest());
    assertEquals(Optional.of("sha256:abc"), api.manifestDigest("hub/user", "1"));
    assertEquals(List.of(
        "GET /v2/ null", // the probe
        "GET /v2/hub/user/manifests/1 null",
        "GET /token?service=fake&scope=repository%3Ahub%2Fuser%3Apull " + basic(USER, PASSWORD),
        "GET /v2/hub/user/manifests/1 Bearer " + TOKEN,
        "HEAD /v2/hub/user/manifests/1 Bearer " + TOKEN), registryLog, "one token for the scope, then reused");
  }

  @Test
  void aRefusedTokenEndsInOneLineThatNamesTheFixAndNoSecret() throws Exception {
    HttpServer registry = tokenRegistry();
    RegistryApi api = RegistryApi.connect(host(registry), Set.of(host(registry)),
        Optional.of(new RegistryCredential(USER, "wrong-" + PASSWORD)), Duration.ofSeconds(10));
    DataHubException e = assertThrows(DataHubException.class, () -> api.manifest("hub/user", "1"));
    assertEquals("registry " + host(registry) + " refused access to hub/user:1 (HTTP 401) — add your username/password for '"
        + host(registry) + "' to the build's credentials, or 'docker login " + host(registry) + "'",
        e.getMessage());
    assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
  }

  @Test
  void aRedirectToBlobStorageIsFollowedWithoutTheRegistrysCredentials() throws Exception {
    HttpServer storage = server();
    storage.createContext("/", exchange -> {
      storageLog.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + authorization(exchange));
      answer(exchange, 200, BLOB);
    });
    storage.start();
    HttpServer registry = server();
    registry.createContext("/", exchange -> {
      registryLog.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + authorization(exchange));
      if (!authorization(exchange).equals(basic(USER, PASSWORD))) {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"fake\"");
        answer(exchange, 401, new byte[0]);
      } else {
        exchange.getResponseHeaders().add("Location", "http://" + host(storage) + "/bucket/abc?signature=x");
        answer(exchange, 307, new byte[0]);
      }
    });
    registry.start();
    RegistryApi api = RegistryApi.connect(host(registry), Set.of(host(registry)),
        Optional.of(new RegistryCredential(USER, PASSWORD)), Duration.ofSeconds(10));
    try (InputStream blob = api.blob("hub/user", "sha256:abc")) {
      assertArrayEquals(BLOB, blob.readAllBytes());
    }
    assertEquals(List.of("GET /v2/ null", "GET /v2/hub/user/blobs/sha256:abc null",
        "GET /v2/hub/user/blobs/sha256:abc " + basic(USER, PASSWORD)), registryLog);
    assertEquals(List.of("GET /bucket/abc?signature=x null"), storageLog, "the registry's credentials stay with it");
  }

  @Test
  void aPlainHttpRegistryThatIsNotListedIsRefusedAtTheProbe() throws Exception {
    // Debian's registry (Go) answers a TLS hello with a plain-HTTP 400, as real plain registries do.
    try (LocalRegistry registry = LocalRegistry.start()) {
      long mark = registry.mark();
      DataHubException e = assertThrows(DataHubException.class, () -> RegistryApi.connect(registry.host(),
          Set.of("other:5000"), Optional.of(new RegistryCredential(USER, PASSWORD)), Duration.ofSeconds(10)));
      assertEquals("registry " + registry.host() + " speaks plain HTTP, not HTTPS — if you trust it, list it in"
          + " <allowInsecureRegistries> (or datahub.image.allowInsecureRegistries=" + registry.host() + ")",
          e.getMessage());
      assertEquals(List.of(), registry.requestsSince(mark), "no plain request to a host that is not listed");
    }
  }

  @Test
  void aListedRegistryWithAPortIsAskedInPlainHttpFirstSoNoTlsIsSetUpForIt() throws Exception {
    // The JDK's server never answers a TLS hello (it waits for a request line): a client that tried TLS first would
    // sit there until its timeout and call the registry unreachable.
    HttpServer registry = tokenRegistry();
    RegistryApi api = RegistryApi.connect(host(registry), Set.of(host(registry)), Optional.empty(),
        Duration.ofSeconds(2));
    assertTrue(api.plainHttp(), "relaxed: Jib's insecure mode is needed for it");
    assertEquals(List.of("GET /v2/ null"), registryLog, "one probe, in plain HTTP");
  }

  @Test
  void aRegistryThatNeverAnswersFailsWithTheTimeoutInOneLine() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new CopyOnWriteArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(silent.accept()); // accepted and never answered
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      String host = "127.0.0.1:" + silent.getLocalPort();
      DataHubException e = assertThrows(DataHubException.class,
          () -> RegistryApi.connect(host, Set.of(), Optional.empty(), Duration.ofSeconds(1)));
      assertTrue(e.getMessage().startsWith("registry " + host + " is unreachable ("), e.getMessage());
      assertTrue(e.getMessage().contains("timed out"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
      for (Socket s : accepted) {
        s.close();
      }
    }
  }
}
