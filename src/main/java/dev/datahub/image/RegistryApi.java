package dev.datahub.image;

import dev.datahub.DataHubException;
import dev.datahub.Fix;
import dev.datahub.Redirects;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A small client of the OCI distribution API for the few calls Jib does not expose: probing a
 * registry before a build (so an HTTP-only or unreachable registry fails at once), resolving a
 * tag to a digest, checking whether the content-hash tag exists, re-tagging, and reading blobs.
 * Handles anonymous, Basic and Bearer-token authentication.
 *
 * <p>Built on {@link HttpURLConnection}, not {@code java.net.http}: a build makes a handful of small requests here,
 * and {@code java.net.http.HttpClient} costs ~450 classes more, a selector thread that delays the JVM's exit, and TLS
 * set-up even for a plain-HTTP registry (BENCHMARKS.md, "build-image against jib-maven-plugin").
 */
public final class RegistryApi implements AutoCloseable {

  public static final String MANIFEST_TYPES = String.join(",",
      "application/vnd.oci.image.index.v1+json",
      "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.docker.distribution.manifest.v2+json");

  private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final Pattern TOKEN = Pattern.compile("\"(?:token|access_token)\"\\s*:\\s*\"([^\"]+)\"");
  private static final int MAX_REDIRECTS = 5;

  /** A manifest as the registry returned it. */
  public record Manifest(String digest, String mediaType, byte[] body) {}

  /** How this client reaches the registry: verified TLS, TLS without verification (listed hosts), plain HTTP. */
  private enum Transport { HTTPS, UNVERIFIED_HTTPS, HTTP }

  private final String host;
  private final Transport transport;
  private final Optional<RegistryCredential> credential;
  private final Duration timeout;
  private final Map<String, String> bearerTokens = new LinkedHashMap<>();
  private boolean basicAccepted;

  private RegistryApi(String host, Transport transport, Optional<RegistryCredential> credential, Duration timeout) {
    this.host = host;
    this.transport = transport;
    this.credential = credential;
    this.timeout = timeout;
  }

  /** Nothing to stop: idle connections sit in the JDK's keep-alive cache, whose thread does not delay the exit. */
  @Override
  public void close() {}

  /**
   * Probes the registry and returns a client for it. HTTPS is required unless the host is listed
   * in {@code insecureHosts}; an HTTP-only registry that is not listed fails here, in one request,
   * instead of after Jib's ~50 s of retries. A listed host is reached over plain HTTP if it speaks it, else over TLS
   * without certificate verification if its certificate does not verify.
   */
  public static RegistryApi connect(String host, Set<String> insecureHosts, Optional<RegistryCredential> credential,
      Duration timeout) {
    boolean listed = insecureHosts.contains(host);
    if (listed && host.contains(":")) {
      // One port speaks one protocol: a listed registry that answers /v2/ over plain HTTP on its port is a plain one,
      // and the JVM sets no TLS up for it (~1,100 classes). Without a port, HTTP (80) and HTTPS (443) are different
      // services, and the verified one comes first.
      RegistryApi plain = new RegistryApi(host, Transport.HTTP, credential, timeout);
      if (plain.answersAsRegistry()) {
        return plain;
      }
    }
    RegistryApi https = new RegistryApi(host, Transport.HTTPS, credential, timeout);
    try {
      https.probe();
      return https;
    } catch (SSLException e) {
      if (listed) {
        RegistryApi relaxed = new RegistryApi(host, looksLikePlainHttp(e) ? Transport.HTTP : Transport.UNVERIFIED_HTTPS,
            credential, timeout);
        relaxed.probeOrFail();
        return relaxed;
      }
      if (looksLikePlainHttp(e)) {
        throw speaksPlainHttp(host);
      }
      throw new DataHubException("TLS to registry " + host + " failed: " + e.getMessage()
          + " — import its CA certificate into the Java truststore, or list it in {}", Fix.element("allowInsecureRegistries"));
    } catch (IOException e) {
      throw unreachable(host, e);
    }
  }

  /** Whether {@code GET /v2/} gets a registry's answer (200, or 401 asking for credentials); throws if unreachable. */
  private boolean answersAsRegistry() {
    try (Response response = send(new Request("GET", uri("/v2/")))) {
      return response.status() == 200 || response.status() == 401;
    } catch (ConnectException | NoRouteToHostException | UnknownHostException e) {
      throw unreachable(host, e); // nothing listens there: HTTPS will not either
    } catch (IOException e) {
      return false; // e.g. a TLS port that closed the connection on a plain request
    }
  }

  private void probe() throws IOException {
    send(new Request("GET", uri("/v2/"))).close();
  }

  private void probeOrFail() {
    try {
      probe();
    } catch (IOException e) {
      throw unreachable(host, e);
    }
  }

  private static boolean looksLikePlainHttp(SSLException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("Unsupported or unrecognized SSL message") || m.contains("plaintext");
  }

  private static DataHubException speaksPlainHttp(String host) {
    return new DataHubException("registry " + host + " speaks plain HTTP, not HTTPS — if you trust it, list it in"
        + " {} (or {})", Fix.element("allowInsecureRegistries"),
        Fix.property("datahub.image.allowInsecureRegistries", host));
  }

  private static DataHubException unreachable(String host, Exception e) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new DataHubException("registry " + host + " is unreachable (" + why
        + ") — check the host and port in the image reference and that the registry is running");
  }

  public String host() {
    return host;
  }

  /** Whether the probe relaxed TLS for this listed host: plain HTTP, or a certificate that did not verify. */
  public boolean plainHttp() {
    return transport != Transport.HTTPS;
  }

  /** The manifest digest of {@code repository:reference} if it exists; absent on 404. */
  public Optional<String> manifestDigest(String repository, String reference) throws IOException {
    Request head = new Request("HEAD", uri("/v2/" + repository + "/manifests/" + reference)).header("Accept", MANIFEST_TYPES);
    try (Response response = send(head, repository, "pull")) {
      if (response.status() == 404) {
        return Optional.empty();
      }
      check(response, repository + ":" + reference);
      return response.header("Docker-Content-Digest");
    }
  }

  public Optional<Manifest> manifest(String repository, String reference) throws IOException {
    Request get = new Request("GET", uri("/v2/" + repository + "/manifests/" + reference)).header("Accept", MANIFEST_TYPES);
    try (Response response = send(get, repository, "pull")) {
      if (response.status() == 404) {
        return Optional.empty();
      }
      check(response, repository + ":" + reference);
      return Optional.of(new Manifest(response.header("Docker-Content-Digest").orElse(null),
          response.header("Content-Type").orElse(""), response.body()));
    }
  }

  public void putManifest(String repository, String tag, Manifest manifest) throws IOException {
    Request put = new Request("PUT", uri("/v2/" + repository + "/manifests/" + tag), manifest.body())
        .header("Content-Type", manifest.mediaType());
    try (Response response = send(put, repository, "pull,push")) {
      check(response, repository + ":" + tag);
    }
  }

  /** The blob's bytes (redirects to blob storage followed, without this registry's credentials); close it. */
  public InputStream blob(String repository, String digest) throws IOException {
    Response response = send(new Request("GET", uri("/v2/" + repository + "/blobs/" + digest)), repository, "pull");
    try {
      check(response, repository + "@" + digest);
    } catch (RuntimeException e) {
      response.close();
      throw e;
    }
    return response.stream();
  }

  private void check(Response response, String what) {
    int status = response.status();
    if (status >= 200 && status < 300) {
      return;
    }
    if (status == 401 || status == 403) {
      throw new DataHubException("registry " + host + " refused access to " + what + " (HTTP " + status + ")"
          + " — {}, or 'docker login " + host + "'", Fix.credentials(host, "your username/password"));
    }
    throw new DataHubException("registry " + host + " answered HTTP " + status + " for " + what
        + " — check the image reference");
  }

  private URI uri(String path) {
    return URI.create((transport == Transport.HTTP ? "http://" : "https://") + host + path);
  }

  /** Sends with authentication: anonymous first, then whatever the registry's challenge asks for. */
  private Response send(Request request, String repository, String actions) throws IOException {
    String scope = "repository:" + repository + ":" + actions;
    String token = bearerTokens.get(scope);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    } else if (credential.isPresent() && basicAccepted) {
      request.header("Authorization", basic());
    }
    Response response = send(request);
    if (response.status() != 401) {
      return response;
    }
    String challenge = response.header("WWW-Authenticate").orElse("");
    if (challenge.regionMatches(true, 0, "Basic", 0, 5) && credential.isPresent()) {
      response.close();
      basicAccepted = true;
      return send(request.header("Authorization", basic()));
    }
    if (challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
      Optional<String> fetched = fetchToken(challenge, scope);
      if (fetched.isPresent()) {
        response.close();
        bearerTokens.put(scope, fetched.get());
        return send(request.header("Authorization", "Bearer " + fetched.get()));
      }
    }
    return response;
  }

  private Optional<String> fetchToken(String challenge, String scope) throws IOException {
    Map<String, String> params = new LinkedHashMap<>();
    Matcher m = CHALLENGE_PARAM.matcher(challenge);
    while (m.find()) {
      params.put(m.group(1), m.group(2));
    }
    String realm = params.get("realm");
    if (realm == null) {
      return Optional.empty();
    }
    StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
    if (params.containsKey("service")) {
      url.append("service=").append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8)).append('&');
    }
    url.append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
    Request tokenRequest = new Request("GET", URI.create(url.toString()));
    credential.ifPresent(c -> tokenRequest.header("Authorization", basic()));
    try (Response response = send(tokenRequest)) {
      if (response.status() != 200) {
        return Optional.empty();
      }
      Matcher token = TOKEN.matcher(new String(response.body(), StandardCharsets.UTF_8));
      return token.find() ? Optional.of(token.group(1)) : Optional.empty();
    }
  }

  private String basic() {
    RegistryCredential c = credential.orElseThrow();
    return "Basic " + Base64.getEncoder().encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
  }

  /** One request; {@code body} only for PUT. Headers are replaced by name. */
  private static final class Request {
    final String method;
    final URI uri;
    final byte[] body;
    final Map<String, String> headers = new LinkedHashMap<>();

    Request(String method, URI uri) {
      this(method, uri, null);
    }

    Request(String method, URI uri, byte[] body) {
      this.method = method;
      this.uri = uri;
      this.body = body;
    }

    Request header(String name, String value) {
      headers.put(name, value);
      return this;
    }
  }

  /** A response whose body is read, streamed or discarded once; closing it lets the connection be reused. */
  private static final class Response implements AutoCloseable {
    private final int status;
    private final HttpURLConnection connection;
    private boolean consumed;

    Response(int status, HttpURLConnection connection) {
      this.status = status;
      this.connection = connection;
    }

    int status() {
      return status;
    }

    Optional<String> header(String name) {
      return Optional.ofNullable(connection.getHeaderField(name));
    }

    InputStream stream() throws IOException {
      consumed = true;
      InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      return in == null ? InputStream.nullInputStream() : in;
    }

    byte[] body() throws IOException {
      try (InputStream in = stream()) {
        return in.readAllBytes();
      }
    }

    @Override
    public void close() throws IOException {
      if (!consumed) {
        try (InputStream in = stream()) {
          in.transferTo(OutputStream.nullOutputStream());
        }
      }
    }
  }

  /**
   * Sends one request, following redirects (blob storage) itself: GET and HEAD only, never from HTTPS to HTTP, and
   * without the Authorization header once the redirect leaves this registry.
   */
  private Response send(Request request) throws IOException {
    URI uri = request.uri;
    boolean authorize = true;
    for (int hop = 0; ; hop++) {
      Response response = open(request, uri, authorize);
      int status = response.status();
      Optional<URI> target = hop == MAX_REDIRECTS || !(request.method.equals("GET") || request.method.equals("HEAD"))
          ? Optional.empty() : Redirects.target(uri, status, response.header("Location").orElse(null));
      if (target.isEmpty()) {
        return response;
      }
      URI next = target.get();
      response.close();
      authorize = authorize && sameOrigin(request.uri, next);
      uri = next;
    }
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
        && a.getPort() == b.getPort();
  }

  private Response open(Request request, URI uri, boolean authorize) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    if (connection instanceof HttpsURLConnection tls && transport == Transport.UNVERIFIED_HTTPS
        && host.equalsIgnoreCase(uri.getRawAuthority())) {
      tls.setSSLSocketFactory(Unverified.SOCKETS);
      tls.setHostnameVerifier((name, session) -> true);
    }
    connection.setInstanceFollowRedirects(false);
    connection.setUseCaches(false);
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    connection.setConnectTimeout(millis);
    connection.setReadTimeout(millis);
    connection.setRequestMethod(request.method);
    request.headers.forEach((name, value) -> {
      if (authorize || !name.equalsIgnoreCase("Authorization")) {
        connection.setRequestProperty(name, value);
      }
    });
    connection.setDoOutput(request.body != null);
    try {
      connection.connect();
    } catch (SocketTimeoutException e) {
      connection.disconnect();
      throw new ConnectException("timed out after " + timeout.toSeconds() + " s");
    }
    try {
      if (request.body != null) {
        try (OutputStream out = connection.getOutputStream()) {
          out.write(request.body);
        }
      }
      return new Response(connection.getResponseCode(), connection);
    } catch (SocketTimeoutException e) {
      connection.disconnect();
      throw new SocketTimeoutException("timed out after " + timeout.toSeconds() + " s");
    }
  }

  /** TLS that accepts any certificate, for hosts the operator listed as insecure; made only when one needs it. */
  private static final class Unverified {
    static final SSLSocketFactory SOCKETS = sockets();

    private static SSLSocketFactory sockets() {
      TrustManager any = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      };
      try {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {any}, null);
        return context.getSocketFactory();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("this JVM has no TLS: " + e.getMessage(), e);
      }
    }
  }
}
