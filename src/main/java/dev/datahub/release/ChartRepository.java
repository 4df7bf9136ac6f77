package dev.datahub.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.datahub.DataHubException;
import dev.datahub.OwnedHttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A chart from an HTTP chart repository (e.g. https://hub.jupyter.org/helm-chart/ for z2jh), fetched
 * the way {@code helm pull} does — index.yaml, then the archive it names — and verified against the
 * index's digest. Helm then gets a local archive: helm-java's own repository path does not resolve
 * {@code repo/chart} references against a private repository config, and a local archive is what
 * both the deploy and the plan must see, byte for byte.
 */
final class ChartRepository {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ChartRepository() {}

  /**
   * Downloads the chart archive into {@code directory} and returns its path; the caller deletes it.
   *
   * @param expectedDigest the chart digest the deploy was decided on (null: none); a different archive is refused
   */
  static Path fetch(ChartSource chart, Path directory, String expectedDigest) {
    byte[] bytes = chart.kind() == ChartSource.Kind.OCI ? OciChartRegistry.download(chart) : download(chart);
    String actual = ChartContent.ofArchive(bytes);
    if (expectedDigest != null && !expectedDigest.equals(actual)) {
      throw new DataHubException("chart " + chart.name() + " " + chart.version() + " in " + chart.location()
          + " changed while this goal ran (" + ReleaseBundle.shortHash(expectedDigest) + " -> "
          + ReleaseBundle.shortHash(actual) + ") — it was republished; run the goal again, and pin <chart><digest>");
    }
    try {
      Files.createDirectories(directory);
      Path file = Files.createTempFile(directory, chart.name() + "-" + chart.version() + "-", ".tgz");
      Files.write(file, bytes);
      return file;
    } catch (IOException e) {
      throw new DataHubException("cannot write the chart archive to " + directory + ": " + e.getMessage()
          + " — check java.io.tmpdir");
    }
  }

  /**
   * The archive's bytes, verified against the index's digest and, when the pom pins one, against {@code <digest>}. An
   * index entry without a digest is refused unless the pom pins the archive's digest.
   */
  static byte[] download(ChartSource chart) {
    String base = chart.location().endsWith("/") ? chart.location() : chart.location() + "/";
    try (OwnedHttpClient owned = OwnedHttpClient.http11(TIMEOUT, HttpClient.Redirect.NORMAL)) {
      HttpClient http = owned.get();
      JsonNode index = YAML.readTree(get(http, URI.create(base + "index.yaml"), chart));
      JsonNode entry = null;
      for (JsonNode candidate : index.path("entries").path(chart.name())) {
        if (chart.version().equals(candidate.path("version").asText())) {
          entry = candidate;
          break;
        }
      }
      if (entry == null || entry.path("urls").isEmpty()) {
        throw new DataHubException("chart " + chart.name() + " " + chart.version() + " is not in the repository "
            + chart.location() + " — check <name> and <version> (helm search repo " + chart.name() + " --versions)");
      }
      URI archive = URI.create(base).resolve(entry.path("urls").get(0).asText());
      String expected = entry.path("digest").asText("");
      if (expected.isEmpty() && chart.pinnedDigest() == null) {
        throw new DataHubException("chart " + chart.name() + " " + chart.version() + " in " + chart.location()
            + " has no digest in index.yaml, so its archive cannot be verified — pin it: <chart><digest>sha256:…"
            + "</digest> (sha256sum of the archive you reviewed)");
      }
      byte[] bytes = get(http, archive, chart);
      String actual = java.util.HexFormat.of().formatHex(sha256(bytes));
      if (chart.pinnedDigest() != null && !chart.pinnedDigest().equals("sha256:" + actual)) {
        throw new DataHubException("chart " + chart.name() + " " + chart.version() + " from " + archive
            + " is not the archive the pom pins (<digest> " + chart.pinnedDigest() + ", got sha256:" + actual
            + ") — it was republished or changed; review it and update <chart><digest>, or pin another version");
      }
      if (!expected.isEmpty() && !expected.equalsIgnoreCase(actual)) {
        throw new DataHubException("chart " + chart.name() + " " + chart.version() + " from " + archive
            + " does not match the repository's digest (" + expected + ", got " + actual + ") — the download was"
            + " changed in transit or the repository is inconsistent; retry, or pin another version");
      }
      return bytes;
    } catch (IOException e) {
      throw new DataHubException("cannot fetch chart " + chart.name() + " " + chart.version() + " from "
          + chart.location() + ": " + e.getMessage() + " — check <chart><repository> and the network");
    }
  }

  private static byte[] get(HttpClient http, URI uri, ChartSource chart) throws IOException {
    try {
      HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new DataHubException("chart repository " + chart.location() + " answered HTTP " + response.statusCode()
            + " for " + uri + " — check <chart><repository>");
      }
      return response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
