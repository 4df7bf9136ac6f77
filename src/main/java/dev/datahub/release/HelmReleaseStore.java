package dev.datahub.release;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Reads (and, for stuck-release recovery, marks) Helm's release Secrets with fabric8. A Secret's {@code data.release}
 * is base64 (Kubernetes) of base64 (Helm) of gzipped JSON.
 */
public final class HelmReleaseStore {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final String namespace;
  private final String release;

  public HelmReleaseStore(KubernetesClient client, String namespace, String release) {
    this.client = client;
    this.namespace = namespace;
    this.release = release;
  }

  /** Every stored revision, newest first. */
  public List<StoredRelease> history() {
    return client.secrets().inNamespace(namespace).withLabel("owner", "helm").withLabel("name", release).list()
        .getItems().stream().map(HelmReleaseStore::decode)
        .sorted(Comparator.comparingInt(StoredRelease::revision).reversed()).toList();
  }

  public Optional<StoredRelease> latest() {
    return history().stream().findFirst();
  }

  public Optional<StoredRelease> lastDeployed() {
    return history().stream().filter(StoredRelease::deployed).findFirst();
  }

  public Optional<StoredRelease> revision(int revision) {
    return history().stream().filter(r -> r.revision() == revision).findFirst();
  }

  /** Marks an interrupted revision failed, as Helm itself would have, so that upgrades are possible again. */
  public void markFailed(StoredRelease stuck, String why) {
    ObjectNode raw = stuck.raw().deepCopy();
    ObjectNode info = raw.with("info");
    info.put("status", "failed");
    info.put("description", why);
    String name = secretName(stuck.revision());
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    secret.getData().put("release", Base64.getEncoder().encodeToString(encodeHelm(raw).getBytes(StandardCharsets.UTF_8)));
    secret.getMetadata().getLabels().put("status", "failed");
    client.secrets().inNamespace(namespace).resource(secret).update();
  }

  public String secretName(int revision) {
    return "sh.helm.release.v1." + release + ".v" + revision;
  }

  static StoredRelease decode(Secret secret) {
    String helmText = new String(Base64.getDecoder().decode(secret.getData().get("release")), StandardCharsets.UTF_8);
    ObjectNode json = decodeHelm(helmText);
    JsonNode meta = json.path("chart").path("metadata");
    Map<String, Object> config = json.hasNonNull("config")
        ? JSON.convertValue(json.get("config"), new TypeReference<LinkedHashMap<String, Object>>() {})
        : new LinkedHashMap<>();
    return new StoredRelease(json.path("name").asText(), json.path("version").asInt(),
        json.path("info").path("status").asText(), meta.path("name").asText(), meta.path("version").asText(),
        meta.path("appVersion").asText(), json.path("info").path("description").asText(), config,
        json.path("manifest").asText(""), json);
  }

  static ObjectNode decodeHelm(String helmText) {
    byte[] bytes = Base64.getDecoder().decode(helmText.trim());
    try {
      if (bytes.length > 2 && bytes[0] == (byte) 0x1f && bytes[1] == (byte) 0x8b) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
          bytes = in.readAllBytes();
        }
      }
      return (ObjectNode) JSON.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode a Helm release Secret", e);
    }
  }

  static String encodeHelm(ObjectNode json) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(JSON.writeValueAsBytes(json));
      }
      return Base64.getEncoder().encodeToString(out.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
