package dev.datahub.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datahub.DataHubException;
import dev.datahub.image.RegistryApi;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * A chart from an OCI registry ({@code oci://host/path/name} + version), fetched by the plugin like {@code helm pull}:
 * the manifest of the version's tag, then its chart layer, verified against the layer digest (and against
 * {@code <chart><digest>} when the pom pins one). Helm then gets that archive, so the digest the gate compares is the
 * digest of the bytes Helm deploys. Anonymous pull only; plain HTTP only for a loopback registry.
 */
final class OciChartRegistry {

  static final String CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private OciChartRegistry() {}

  static byte[] download(ChartSource chart) {
    String rest = chart.location().substring("oci://".length());
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw new DataHubException("<oci> " + chart.location() + " names no repository — use oci://<host>/<path>/<chart>");
    }
    String host = rest.substring(0, slash);
    String repository = rest.substring(slash + 1);
    String tag = chart.version().replace('+', '_'); // Helm's tag for a version with build metadata
    boolean loopback = host.startsWith("127.0.0.1:") || host.startsWith("localhost:") || host.equals("localhost");
    try (RegistryApi registry = RegistryApi.connect(host, loopback ? Set.of(host) : Set.of(), Optional.empty(),
        TIMEOUT)) {
      RegistryApi.Manifest manifest = registry.manifest(repository, tag).orElseThrow(() -> new DataHubException(
          "chart " + chart.location() + " has no version " + chart.version() + " — check <oci> and <version>"));
      String layer = null;
      for (JsonNode l : JSON.readTree(manifest.body()).path("layers")) {
        if (CHART_LAYER.equals(l.path("mediaType").asText())) {
          layer = l.path("digest").asText();
        }
      }
      if (layer == null || !dev.datahub.image.Digest.isValid(layer)) {
        throw new DataHubException(chart.location() + ":" + tag + " is not a Helm chart (no " + CHART_LAYER
            + " layer) — check <oci>");
      }
      if (chart.pinnedDigest() != null && !chart.pinnedDigest().equals(layer)) {
        throw new DataHubException("chart " + chart.location() + " " + chart.version() + " is not the archive the pom "
            + "pins (<digest> " + chart.pinnedDigest() + ", the registry has " + layer + ") — it was republished; "
            + "review it and update <chart><digest>, or pin another version");
      }
      byte[] bytes;
      try (InputStream in = registry.blob(repository, layer)) {
        bytes = in.readAllBytes();
      }
      if (!layer.equals(ChartContent.ofArchive(bytes))) {
        throw new DataHubException("chart " + chart.location() + " " + chart.version() + " does not match its layer "
            + "digest " + layer + " — the download was changed in transit; retry");
      }
      return bytes;
    } catch (IOException e) {
      throw new DataHubException("cannot fetch chart " + chart.location() + " " + chart.version() + ": "
          + e.getMessage() + " — check <chart><oci> and the network");
    }
  }
}
