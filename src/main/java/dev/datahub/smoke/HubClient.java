package dev.datahub.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datahub.DataHubException;
import dev.datahub.OwnedHttpClient;
import dev.datahub.log.StepLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * JupyterHub's REST API and the user server's kernel API, over {@code java.net.http} forced to
 * HTTP/1.1 (the default HTTP/2 sends an h2c upgrade the hub's proxy answers with an empty reply).
 * Every request is bounded by a timeout; only connection failures are retried.
 */
public final class HubClient {

  /** The scopes the smoke test needs; {@code admin:users} implies {@code admin:servers} in the hub's expansion. */
  public static final List<String> REQUIRED_SCOPES = List.of("admin:users", "admin:servers", "access:servers");

  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  static final Duration KERNEL_DELETE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final int CONNECT_ATTEMPTS = 4;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI hubUrl;
  private final HubToken token;
  private final StepLog log;
  private final OwnedHttpClient http;

  public HubClient(URI hubUrl, HubToken token, StepLog log) {
    this.hubUrl = hubUrl;
    this.token = token;
    this.log = log;
    // A plain-HTTP hub (loopback, port-forward, allowInsecureHubs) never needs TLS: redirects are not followed and its
    // kernel WebSocket is ws://, so the client skips the JVM's TLS set-up.
    this.http = "http".equalsIgnoreCase(hubUrl.getScheme())
        ? OwnedHttpClient.plainHttp11(CONNECT_TIMEOUT, HttpClient.Redirect.NEVER)
        : OwnedHttpClient.http11(CONNECT_TIMEOUT, HttpClient.Redirect.NEVER);
  }

  HttpClient http() {
    return http.get();
  }

  /** Stops the HTTP client once nothing more will be sent (its selector thread would delay the JVM's exit). */
  void close() {
    http.close();
  }

  HubToken token() {
    return token;
  }

  URI hubUrl() {
    return hubUrl;
  }

  /** A response with its status and body. */
  record Response(int status, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        return JSON.createObjectNode();
      }
    }

    /** The hub's {@code message} field, or the start of the body. */
    String message() {
      JsonNode m = json().path("message");
      if (m.isTextual()) {
        return m.asText();
      }
      String b = body == null ? "" : body.strip().replaceAll("\\s+", " ");
      return b.length() > 200 ? b.substring(0, 200) + "…" : b;
    }

    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  // ---- hub API ----

  /** {@code GET /hub/api}: the hub's version; proves the URL points at a JupyterHub. */
  public String version(Deadline deadline) throws InterruptedException {
    Response r = send("GET", api(""), null, deadline, "reading the hub version");
    String version = r.json().path("version").asText(null);
    if (r.status != 200 || version == null) {
      throw new DataHubException("no JupyterHub API at " + api("") + " (HTTP " + r.status + ": " + r.message()
          + ") — set hubUrl to the hub's public URL (the one users open, without /hub)");
    }
    return version;
  }

  /** {@code GET /hub/health}. */
  public void health(Deadline deadline) throws InterruptedException {
    Response r = send("GET", hubUrl.resolve("hub/health"), null, deadline, "checking /hub/health");
    if (r.status != 200) {
      throw new DataHubException("hub is unhealthy: GET /hub/health answered HTTP " + r.status + " " + r.message()
          + " — check the hub pod's logs (kubectl logs deploy/hub)");
    }
  }

  /** {@code GET /hub/api/user}: the token is valid and holds every scope the test needs. */
  public void requireScopes(Deadline deadline) throws InterruptedException {
    Response r = send("GET", api("user"), null, deadline, "checking the API token");
    if (r.status == 401 || r.status == 403) {
      throw new DataHubException("hub rejected the API token from " + token.source() + " (HTTP " + r.status
          + ") — set a valid token of a hub service (hub.services.<name>.apiToken in the z2jh values)");
    }
    requireOk(r, "checking the API token");
    JsonNode scopes = r.json().path("scopes");
    if (!scopes.isArray()) {
      return; // JupyterHub < 2 has no scopes; the calls below report what is refused
    }
    Set<String> held = new java.util.HashSet<>();
    scopes.forEach(s -> held.add(s.asText()));
    List<String> missing = new ArrayList<>();
    for (String needed : REQUIRED_SCOPES) {
      if (!held.contains(needed)) {
        missing.add(needed);
      }
    }
    if (!missing.isEmpty()) {
      String who = r.json().path("kind").asText("token") + " '" + r.json().path("name").asText("?") + "'";
      throw new DataHubException("the API token (" + who + ") lacks the scopes " + String.join(", ", missing)
          + " — add them to a role of that service; it needs " + String.join(", ", REQUIRED_SCOPES)
          + " (z2jh: hub.loadRoles, see docs/smoke-test.md)");
    }
  }

  /** The user model, or empty when the user does not exist. */
  public Optional<JsonNode> user(String name, Deadline deadline) throws InterruptedException {
    Response r = send("GET", api("users/" + enc(name)), null, deadline, "reading user " + name);
    if (r.status == 404) {
      return Optional.empty();
    }
    requireOk(r, "reading user " + name);
    return Optional.of(r.json());
  }

  /**
   * {@code POST /hub/api/users/{name}}.
   *
   * @return true when created; false when the user already existed (HTTP 409)
   */
  public boolean createUser(String name, Deadline deadline) throws InterruptedException {
    Response r = send("POST", api("users/" + enc(name)), "{}", deadline, "creating user " + name);
    if (r.status == 409) {
      return false;
    }
    requireOk(r, "creating user " + name);
    return true;
  }

  /**
   * {@code POST /hub/api/users/{name}/server}. The hub holds this request until the server is up
   * or its slow_spawn_timeout passes.
   *
   * @return the response, or null when the request itself timed out (the spawn is then pending)
   */
  Response startServer(String name, Map<String, Object> userOptions, Deadline deadline) throws InterruptedException {
    String body;
    try {
      body = JSON.writeValueAsString(userOptions);
    } catch (IOException e) {
      throw new DataHubException("cannot encode userOptions as JSON: " + e.getMessage());
    }
    return sendAllowingTimeout("POST", api("users/" + enc(name) + "/server"), body, deadline, "starting the server of " + name);
  }

  /** What the hub did with a stop request. */
  enum Stop {
    /** stopped (HTTP 204, the hub waited for it) or no such user: the hub lists no server */
    GONE,
    /**
     * stopping (HTTP 202), or "not running" (HTTP 400: already stopped, or still spawning): the hub may list the
     * server for a while yet
     */
    STOPPING,
    /** the hub cannot stop it yet (a spawn is pending): ask again */
    BUSY
  }

  /** {@code DELETE /hub/api/users/{name}/server}. */
  Stop stopServer(String name, Deadline deadline) throws InterruptedException {
    Response r = send("DELETE", api("users/" + enc(name) + "/server"), null, deadline, "stopping the server of " + name);
    if (r.status == 204 || r.status == 404) {
      return Stop.GONE;
    }
    if (r.status == 400 && r.message().contains("not running")) {
      return Stop.STOPPING;
    }
    if (r.status == 400 || r.status >= 500) {
      return Stop.BUSY;
    }
    requireOk(r, "stopping the server of " + name);
    return Stop.STOPPING;
  }

  /** @return true when deleted or absent; false when the hub cannot delete it yet (its server is busy). */
  boolean deleteUser(String name, Deadline deadline) throws InterruptedException {
    Response r = send("DELETE", api("users/" + enc(name)), null, deadline, "deleting user " + name);
    if (r.status == 204 || r.status == 404) {
      return true;
    }
    if (r.status == 400 || r.status >= 500) {
      return false;
    }
    requireOk(r, "deleting user " + name);
    return true;
  }

  /**
   * The last event of the spawn progress stream ({@code message}, {@code failed}), read for at most
   * {@code wait}; empty when the hub sent none.
   */
  Optional<JsonNode> lastProgress(String name, Duration wait) throws InterruptedException {
    HttpRequest request = request("GET", api("users/" + enc(name) + "/server/progress"), null, wait)
        .header("Accept", "text/event-stream").build();
    ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "smoke-progress-timeout");
      t.setDaemon(true);
      return t;
    });
    JsonNode last = null;
    try {
      HttpResponse<InputStream> response = http.get().send(request, HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        response.body().close();
        return Optional.empty();
      }
      InputStream in = response.body();
      closer.schedule(() -> {
        try {
          in.close();
        } catch (IOException ignored) {
          // closing only ends the read loop below
        }
      }, wait.toMillis(), TimeUnit.MILLISECONDS);
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          if (line.startsWith("data:")) {
            JsonNode event = JSON.readTree(line.substring(5).strip());
            last = event;
            if (event.path("failed").asBoolean(false) || event.path("ready").asBoolean(false)) {
              break;
            }
          }
        }
      }
    } catch (IOException e) {
      // a timeout or a closed stream: whatever arrived so far is the answer
    } finally {
      closer.shutdownNow();
    }
    return Optional.ofNullable(last);
  }

  // ---- kernel API on the user's server ----

  /** The user's server base URL from the server model's {@code url} (which includes the hub's base_url). */
  URI serverUrl(String relative) {
    String path = relative.endsWith("/") ? relative : relative + "/";
    return hubUrl.resolve(path);
  }

  String startKernel(URI server, Deadline deadline) throws InterruptedException {
    Response r = send("POST", server.resolve("api/kernels"), "{}", deadline, "starting a kernel");
    if (r.status == 403) {
      throw new DataHubException("the user's server refused to start a kernel (HTTP 403) — the token needs the scope "
          + "access:servers");
    }
    requireOk(r, "starting a kernel");
    String id = r.json().path("id").asText(null);
    if (id == null) {
      throw new DataHubException("the user's server answered the kernel start without an id: " + r.message());
    }
    return id;
  }

  /**
   * {@code DELETE {server}/api/kernels/{id}}, given at most {@link #KERNEL_DELETE_TIMEOUT} of {@code deadline}; never
   * fails: the server's stop that follows shuts down a kernel that is still there.
   *
   * @return the HTTP status, or -1 when the server did not answer (in time)
   */
  int deleteKernel(URI server, String kernelId, Deadline deadline) throws InterruptedException {
    try {
      Response r = sendAllowingTimeout("DELETE", server.resolve("api/kernels/" + kernelId), null,
          Deadline.after(KERNEL_DELETE_TIMEOUT, "kernel delete").min(deadline), "deleting the kernel");
      return r == null ? -1 : r.status;
    } catch (DataHubException e) {
      log.debug("deleting the kernel failed (the server's stop ends it): " + e.getMessage());
      return -1;
    }
  }

  URI kernelChannels(URI server, String kernelId) {
    URI http = server.resolve("api/kernels/" + kernelId + "/channels");
    String scheme = "https".equals(http.getScheme()) ? "wss" : "ws";
    return URI.create(scheme + http.toString().substring(http.getScheme().length()));
  }

  // ---- plumbing ----

  private URI api(String path) {
    return hubUrl.resolve("hub/api/" + path);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private void requireOk(Response r, String doing) {
    if (r.ok()) {
      return;
    }
    if (r.status == 403) {
      throw new DataHubException("hub refused " + doing + " (HTTP 403: " + r.message() + ") — the token needs the scopes "
          + String.join(", ", REQUIRED_SCOPES));
    }
    throw new DataHubException("hub failed " + doing + " (HTTP " + r.status + ": " + r.message() + ")");
  }

  private HttpRequest.Builder request(String method, URI uri, String body, Duration timeout) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri)
        .timeout(timeout)
        .header("Authorization", "token " + token.value())
        .header("Accept", "application/json");
    if (body != null) {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return b;
  }

  Response send(String method, URI uri, String body, Deadline deadline, String doing) throws InterruptedException {
    Response r = sendAllowingTimeout(method, uri, body, deadline, doing);
    if (r == null) {
      deadline.check(doing);
      throw new DataHubException("hub did not answer within " + Deadline.seconds(REQUEST_TIMEOUT) + " while " + doing
          + " — check the hub's load and logs");
    }
    return r;
  }

  /** Sends; retries connection failures only; null when the request timed out. */
  private Response sendAllowingTimeout(String method, URI uri, String body, Deadline deadline, String doing)
      throws InterruptedException {
    IOException lastFailure = null;
    for (int attempt = 1; attempt <= CONNECT_ATTEMPTS; attempt++) {
      deadline.check(doing);
      Duration timeout = deadline.remaining().compareTo(REQUEST_TIMEOUT) < 0 ? deadline.remaining() : REQUEST_TIMEOUT;
      try {
        HttpResponse<String> response = http.get().send(request(method, uri, body, timeout).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        log.debug(method + " " + uri + " -> " + response.statusCode());
        return new Response(response.statusCode(), response.body());
      } catch (ConnectException | HttpConnectTimeoutException e) {
        lastFailure = e;
        log.debug(method + " " + uri + ": connection failed (" + describe(e) + "), attempt " + attempt);
        if (attempt < CONNECT_ATTEMPTS) {
          deadline.sleep(Duration.ofMillis(250L << (attempt - 1)));
        }
      } catch (HttpTimeoutException e) {
        return null;
      } catch (IOException e) {
        throw new DataHubException("request to the hub failed while " + doing + ": " + describe(e)
            + " — check hubUrl and the proxy in front of the hub");
      }
    }
    deadline.check(doing);
    throw new DataHubException("hub unreachable at " + hubUrl + " while " + doing + ": " + describe(lastFailure)
        + " after " + CONNECT_ATTEMPTS + " attempts — check hubUrl and that the hub is running");
  }

  static String describe(Throwable e) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = e; t != null && parts.size() < 3; t = t.getCause()) {
      String m = t.getMessage();
      parts.add(m == null || m.isBlank() ? t.getClass().getSimpleName() : m);
    }
    return String.join(": ", new java.util.LinkedHashSet<>(parts)).replaceAll("\\s+", " ");
  }
}
