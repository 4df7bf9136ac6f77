package dev.datahub.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datahub.DataHubException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The config and layer blobs of an image manifest (Docker v2.2 or OCI). */
public record ManifestLayers(Blob config, List<Blob> layers) {

  public record Blob(String digest, long size, String mediaType) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  public static ManifestLayers read(RegistryApi registry, String repository, String reference) throws IOException {
    RegistryApi.Manifest manifest = registry.manifest(repository, reference).orElseThrow(
        () -> new DataHubException("manifest " + repository + "@" + reference + " not found in " + registry.host()));
    return parse(manifest.body());
  }

  public static ManifestLayers parse(byte[] body) throws IOException {
    JsonNode root = JSON.readTree(body);
    if (!root.has("layers")) {
      throw new DataHubException("expected an image manifest, got " + root.path("mediaType").asText("an index")
          + " — give a single-platform image");
    }
    List<Blob> layers = new ArrayList<>();
    for (JsonNode layer : root.get("layers")) {
      layers.add(blob(layer));
    }
    return new ManifestLayers(blob(root.get("config")), List.copyOf(layers));
  }

  private static Blob blob(JsonNode node) {
    return new Blob(node.get("digest").asText(), node.get("size").asLong(), node.path("mediaType").asText());
  }
}
