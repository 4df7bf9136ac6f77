package dev.datahub.release;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Test helper: an interrupted upgrade — Helm wrote the next revision as pending-upgrade and never finished. */
public final class StuckRelease {

  private StuckRelease() {}

  public static void markPending(KubernetesClient client, String namespace, String release, int revision) {
    HelmReleaseStore store = new HelmReleaseStore(client, namespace, release);
    ObjectNode raw = store.latest().orElseThrow().raw().deepCopy();
    raw.put("version", revision);
    raw.with("info").put("status", "pending-upgrade");
    client.secrets().inNamespace(namespace).resource(new SecretBuilder()
        .withNewMetadata().withName(store.secretName(revision)).addToLabels("owner", "helm").addToLabels("name", release)
        .addToLabels("status", "pending-upgrade").addToLabels("version", String.valueOf(revision)).endMetadata()
        .withType("helm.sh/release.v1").addToData("release", Base64.getEncoder().encodeToString(
            HelmReleaseStore.encodeHelm(raw).getBytes(StandardCharsets.UTF_8))).build()).create();
  }
}
