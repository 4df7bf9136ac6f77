package dev.datahub.image;

import dev.datahub.DataHubException;
import dev.datahub.Fix;
import dev.datahub.OwnedHttpClient;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * A small client of the OCI distribution API for the few calls Jib does not expose: probing a
 * registry before a build (so an HTTP-only or unreachable registry fails at once), resolving a
 * tag to a digest, checking whether the content-hash tag exists, re-tagging, and reading blobs.
 * Handles anonymous, Basic and Bearer-token authentication.
 */
public final class RegistryApi implements AutoCloseable {

  public static final String MANIFEST_TYPES = String.join(",",
      "application/vnd.oci.image.index.v1+json",
      "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.docker.distribution.manifest.v2+json");

  private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  /** A manifest as the registry returned it. */
  public record Manifest(String digest, String mediaType, byte[] body) {}

  private final String host;
  private final boolean plainHttp;
  private final Optional<RegistryCredential> credential;
  private final OwnedHttpClient http;
  private final Duration timeout;
  private final Map<String, String> bearerTokens = new LinkedHashMap<>();

  private RegistryApi(String host, boolean plainHttp, Optional<RegistryCredential> credential, Duration timeout) {
    this.host = host;
    this.plainHttp = plainHttp;
    this.credential = credential;
    this.timeout = timeout;
    this.http = OwnedHttpClient.http11(timeout, HttpClient.Redirect.NORMAL);
  }

  /** Stops the HTTP client (its selector thread would delay the JVM's exit); a later request starts a new one. */
  @Override
  public void close() {
    http.close();
  }

  /**
   * Probes the registry and returns a client for it. HTTPS is required unless the host is listed
   * in {@code insecureHosts}; an HTTP-only registry that is not listed fails here, in one request,
   * instead of after Jib's ~50 s of retries.
   */
  public static RegistryApi connect(String host, Set<String> insecureHosts, Optional<RegistryCredential> credential,
      Duration timeout) {
    RegistryApi https = new RegistryApi(host, false, credential, timeout);
    try {
      https.send(HttpRequest.newBuilder(https.uri("/v2/")).GET(), HttpResponse.BodyHandlers.discarding());
      return https;
    } catch (SSLException e) {
      https.close();
      if (insecureHosts.contains(host)) {
        RegistryApi http = new RegistryApi(host, true, credential, timeout);
        http.probePlain();
        return http;
      }
      if (looksLikePlainHttp(e)) {
        throw speaksPlainHttp(host);
      }
      throw new DataHubException("TLS to registry " + host + " failed: " + e.getMessage()
          + " — import its CA certificate into the Java truststore, or list it in {}", Fix.element("allowInsecureRegistries"));
    } catch (ConnectException | HttpConnectTimeoutException e) {
      https.close();
      throw unreachable(host, e);
    } catch (IOException e) {
      https.close();
      if (e.getCause() instanceof SSLException ssl && insecureHosts.contains(host)) {
        RegistryApi http = new RegistryApi(host, true, credential, timeout);
        http.probePlain();
        return http;
      }
      if (e.getCause() instanceof SSLException ssl && looksLikePlainHttp(ssl)) {
        throw speaksPlainHttp(host);
      }
      throw unreachable(host, e);
    }
  }

  private void probePlain() {
    try {
      send(HttpRequest.newBuilder(uri("/v2/")).GET(), HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      close();
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

  public boolean plainHttp() {
    return plainHttp;
  }

  /** The manifest digest of {@code repository:reference} if it exists; absent on 404. */
  public Optional<String> manifestDigest(String repository, String reference) throws IOException {
    HttpResponse<Void> response = send(
        HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + reference))
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .header("Accept", MANIFEST_TYPES),
        HttpResponse.BodyHandlers.discarding(), repository, "pull");
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    check(response, repository + ":" + reference);
    return response.headers().firstValue("Docker-Content-Digest");
  }

  public Optional<Manifest> manifest(String repository, String reference) throws IOException {
    HttpResponse<byte[]> response = send(
        HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + reference)).GET().header("Accept", MANIFEST_TYPES),
        HttpResponse.BodyHandlers.ofByteArray(), repository, "pull");
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    check(response, repository + ":" + reference);
    String digest = response.headers().firstValue("Docker-Content-Digest").orElse(null);
    String type = response.headers().firstValue("Content-Type").orElse("");
    return Optional.of(new Manifest(digest, type, response.body()));
  }

  public void putManifest(String repository, String tag, Manifest manifest) throws IOException {
    HttpResponse<Void> response = send(
        HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + tag))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.body()))
            .header("Content-Type", manifest.mediaType()),
        HttpResponse.BodyHandlers.discarding(), repository, "pull,push");
    check(response, repository + ":" + tag);
  }

  public InputStream blob(String repository, String digest) throws IOException {
    HttpResponse<InputStream> response = send(
        HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/" + digest)).GET(),
        HttpResponse.BodyHandlers.ofInputStream(), repository, "pull");
    if (response.statusCode() != 200) {
      response.body().close();
      check(response, repository + "@" + digest);
    }
    return response.body();
  }

  private void check(HttpResponse<?> response, String what) {
    int status = response.statusCode();
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
    return URI.create((plainHttp ? "http://" : "https://") + host + path);
  }

  private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) throws IOException {
    try {
      return http.get().send(request.timeout(timeout).build(), handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (HttpTimeoutException e) {
      throw new ConnectException("timed out after " + timeout.toSeconds() + " s");
    }
  }

  /** Sends with authentication: anonymous first, then whatever the registry's challenge asks for. */
  private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler, String repository,
      String actions) throws IOException {
    String scope = "repository:" + repository + ":" + actions;
    String token = bearerTokens.get(scope);
    if (token != null) {
      request.setHeader("Authorization", "Bearer " + token);
    } else if (credential.isPresent() && bearerTokens.containsKey("basic")) {
      request.setHeader("Authorization", basic());
    }
    HttpResponse<T> response = send(request, handler);
    if (response.statusCode() != 401) {
      return response;
    }
    String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
    if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
      if (credential.isEmpty()) {
        return response;
      }
      bearerTokens.put("basic", "");
      request.setHeader("Authorization", basic());
      return send(request, handler);
    }
    if (challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
      Optional<String> fetched = fetchToken(challenge, scope);
      if (fetched.isEmpty()) {
        return response;
      }
      bearerTokens.put(scope, fetched.get());
      request.setHeader("Authorization", "Bearer " + fetched.get());
      return send(request, handler);
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
    HttpRequest.Builder tokenRequest = HttpRequest.newBuilder(URI.create(url.toString())).GET();
    credential.ifPresent(c -> tokenRequest.header("Authorization", basic()));
    HttpResponse<String> response = send(tokenRequest, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      return Optional.empty();
    }
    Matcher token = Pattern.compile("\"(?:token|access_token)\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
    return token.find() ? Optional.of(token.group(1)) : Optional.empty();
  }

  private String basic() {
    RegistryCredential c = credential.orElseThrow();
    return "Basic " + Base64.getEncoder().encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
  }
}
