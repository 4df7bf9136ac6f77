package dev.datahub.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datahub.DataHubException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.function.Supplier;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 503 / PEP 691 simple repository over HTTP. Asks for JSON first and accepts HTML, as pip
 * does; hashes come from the JSON {@code hashes} or the HTML URL fragment {@code #sha256=…}.
 */
public final class SimpleIndex implements PackageSource {

  static final String ACCEPT = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, "
      + "text/html;q=0.01";
  private static final Pattern ANCHOR =
      Pattern.compile("<a\\s([^>]*)>(.*?)</a\\s*>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern HREF = Pattern.compile("href\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)')", Pattern.CASE_INSENSITIVE);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final Supplier<HttpClient> http;

  public SimpleIndex(String url, HttpClient http) {
    this(url, () -> http);
  }

  /** {@code http} is asked for a client only when a page is fetched. */
  public SimpleIndex(String url, Supplier<HttpClient> http) {
    this.base = URI.create(url.endsWith("/") ? url : url + "/");
    this.http = http;
  }

  /** The HTTP client every download uses: HTTP/1.1 (no h2c upgrade surprises), redirects, connect timeout. */
  public static HttpClient defaultClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  @Override
  public List<IndexFile> files(String normalizedName) {
    URI page = base.resolve(normalizedName + "/");
    HttpResponse<String> response;
    try {
      HttpRequest request = HttpRequest.newBuilder(page)
          .header("Accept", ACCEPT)
          .header("User-Agent", "datahub-maven-plugin")
          .timeout(Duration.ofSeconds(60))
          .GET()
          .build();
      response = http.get().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw unreachable(page, "timed out");
    } catch (ConnectException e) {
      throw unreachable(page, "connection refused");
    } catch (IOException e) {
      throw unreachable(page, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataHubException("interrupted while reading " + page);
    }
    if (response.statusCode() == 404) {
      return List.of();
    }
    if (response.statusCode() != 200) {
      throw new DataHubException("package index " + page + " answered HTTP " + response.statusCode()
          + " — check <python><index> (a PEP 503/691 simple index URL such as " + PythonSpec.PYPI + ")");
    }
    String type = response.headers().firstValue("Content-Type").orElse("text/html").toLowerCase(Locale.ROOT);
    URI pageUri = response.uri();
    return type.contains("json") ? parseJson(pageUri, response.body()) : parseHtml(pageUri, response.body());
  }

  private DataHubException unreachable(URI page, String why) {
    return new DataHubException("cannot reach package index " + page + " (" + why + ") — check <python><index> "
        + "and the network, or put the wheels in <findLinks>; a rebuild with every wheel in the cache needs no index");
  }

  List<IndexFile> parseJson(URI page, String body) {
    List<IndexFile> out = new ArrayList<>();
    try {
      JsonNode root = JSON.readTree(body);
      for (JsonNode f : root.path("files")) {
        String name = f.path("filename").asText();
        String url = f.path("url").asText();
        String sha = f.path("hashes").path("sha256").asText(null);
        URI resolved = page.resolve(url.replaceFirst("#.*$", ""));
        out.add(new IndexFile(name, resolved, null, sha == null ? null : sha.toLowerCase(Locale.ROOT), describe()));
      }
    } catch (IOException e) {
      throw new DataHubException("package index page " + page + " is not valid PEP 691 JSON: " + e.getMessage()
          + " — check <python><index>");
    }
    return out;
  }

  List<IndexFile> parseHtml(URI page, String body) {
    List<IndexFile> out = new ArrayList<>();
    Matcher a = ANCHOR.matcher(body);
    while (a.find()) {
      Matcher href = HREF.matcher(a.group(1));
      if (!href.find()) {
        continue;
      }
      String raw = unescape(href.group(1) != null ? href.group(1) : href.group(2));
      URI url = page.resolve(raw.replace(" ", "%20"));
      String sha = null;
      String fragment = url.getFragment();
      if (fragment != null && fragment.startsWith("sha256=")) {
        sha = fragment.substring(7).toLowerCase(Locale.ROOT);
      }
      String text = unescape(a.group(2).replaceAll("<[^>]*>", "")).trim();
      String path = url.getPath();
      String name = !text.isEmpty() ? text : path.substring(path.lastIndexOf('/') + 1);
      URI withoutFragment = URI.create(url.toString().replaceFirst("#.*$", ""));
      out.add(new IndexFile(name, withoutFragment, null, sha, describe()));
    }
    return out;
  }

  private static String unescape(String s) {
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
  }

  @Override
  public String describe() {
    return "index " + base;
  }
}
