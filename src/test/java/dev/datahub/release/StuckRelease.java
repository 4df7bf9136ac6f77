package dev.datahub.release;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Test helper: Helm revisions the plugin did not write — an interrupted upgrade (pending-upgrade), a hand-run upgrade. */
public final class StuckRelease {

  private StuckRelease() {}

  public static void markPending(KubernetesClient client, String namespace, String release, int revision) {
    addRevision(client, namespace, release, revision, "pending-upgrade");
  }

  /** A revision written behind the plugin's back (a hand-run helm upgrade) with the latest one's content. */
  public static void addRevision(KubernetesClient client, String namespace, String release, int revision,
      String status) {
    HelmReleaseStore store = new HelmReleaseStore(client, namespace, release);
    ObjectNode raw = store.latest().orElseThrow().raw().deepCopy();
    raw.put("version", revision);
    raw.with("info").put("status", status);
    client.secrets().inNamespace(namespace).resource(new SecretBuilder()
        .withNewMetadata().withName(store.secretName(revision)).addToLabels("owner", "helm").addToLabels("name", release)
        .addToLabels("status", status).addToLabels("version", String.valueOf(revision)).endMetadata()
        .withType("helm.sh/release.v1").addToData("release", Base64.getEncoder().encodeToString(
            HelmReleaseStore.encodeHelm(raw).getBytes(StandardCharsets.UTF_8))).build()).create();
  }
}
