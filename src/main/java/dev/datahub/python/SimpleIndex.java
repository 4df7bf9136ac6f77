package dev.datahub.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datahub.DataHubException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
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

  public SimpleIndex(String url) {
    this.base = URI.create(url.endsWith("/") ? url : url + "/");
  }

  @Override
  public List<IndexFile> files(String normalizedName) {
    URI page = base.resolve(normalizedName + "/");
    int status;
    URI pageUri;
    String type;
    String body;
    try (HttpGet.Response response = HttpGet.send(page, ACCEPT, Duration.ofSeconds(60))) {
      status = response.status();
      pageUri = response.uri();
      type = response.contentType() == null ? "text/html" : response.contentType().toLowerCase(Locale.ROOT);
      body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
    } catch (SocketTimeoutException e) {
      throw unreachable(page, "timed out");
    } catch (ConnectException e) {
      throw unreachable(page, "connection refused");
    } catch (IOException e) {
      throw unreachable(page, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
    if (status == 404) {
      return List.of();
    }
    if (status != 200) {
      throw new DataHubException("package index " + page + " answered HTTP " + status
          + " — check <python><index> (a PEP 503/691 simple index URL such as " + PythonSpec.PYPI + ")");
    }
    return type.contains("json") ? parseJson(pageUri, body) : parseHtml(pageUri, body);
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
