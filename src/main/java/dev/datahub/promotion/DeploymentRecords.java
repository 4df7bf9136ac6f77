package dev.datahub.promotion;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.datahub.DataHubException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Deployment records of one environment: ConfigMaps labelled {@code app.kubernetes.io/managed-by=datahub-maven-plugin}
 * in the environment's namespace, one per deploy/promote/rollback, the newest {@code keep} kept.
 */
public final class DeploymentRecords {

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String PLUGIN = "datahub-maven-plugin";
  public static final String ENVIRONMENT = "datahub.dev/environment";
  public static final String DATA_KEY = "record.json";
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmssSSS").withZone(ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final KubernetesClient client;
  private final String namespace;
  private final String environment;
  private final int keep;
  private final Clock clock;

  public DeploymentRecords(KubernetesClient client, String namespace, String environment, int keep, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.environment = environment;
    this.keep = Math.max(1, keep);
    this.clock = clock;
  }

  /** All records, newest first. */
  public List<DeploymentRecord> all() {
    return client.configMaps().inNamespace(namespace).withLabel(MANAGED_BY, PLUGIN).withLabel(ENVIRONMENT, environment)
        .list().getItems().stream().filter(cm -> cm.getData() != null && cm.getData().containsKey(DATA_KEY))
        .map(DeploymentRecords::parse).sorted(Comparator.comparing(DeploymentRecord::id).reversed()).toList();
  }

  public Optional<DeploymentRecord> latest() {
    return all().stream().findFirst();
  }

  /** The newest record whose result is succeeded: what the environment runs. */
  public Optional<DeploymentRecord> latestSucceeded() {
    return all().stream().filter(r -> DeploymentRecord.SUCCEEDED.equals(r.result())).findFirst();
  }

  /** Stores a new record under a fresh id and prunes the oldest beyond {@code keep}. */
  public DeploymentRecord write(DeploymentRecord record) {
    String id = "datahub-" + environment + "-" + ID_TIME.format(Instant.now(clock));
    DeploymentRecord stored = record.withId(id);
    save(stored, true);
    List<DeploymentRecord> all = all();
    for (DeploymentRecord old : all.subList(Math.min(keep, all.size()), all.size())) {
      client.configMaps().inNamespace(namespace).withName(old.id()).delete();
    }
    return stored;
  }

  /**
   * Called by the smoke-test goal after it ran: writes the verdict into this environment's latest record, which the
   * promotion gate reads. The digest is the image the smoke test observed.
   */
  public DeploymentRecord recordSmokeResult(boolean passed, String imageDigest, String summary) {
    DeploymentRecord latest = latest().orElseThrow(() -> new DataHubException("no deployment record in namespace "
        + namespace + " for environment " + environment + " — deploy with datahub:deploy-staging before the smoke test"));
    DeploymentRecord updated = latest.withSmoke(new DeploymentRecord.SmokeOutcome(passed ? "passed" : "failed",
        imageDigest, summary, DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock))));
    save(updated, false);
    return updated;
  }

  private void save(DeploymentRecord record, boolean create) {
    try {
      ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName(record.id()).withNamespace(namespace)
          .addToLabels(MANAGED_BY, PLUGIN).addToLabels(ENVIRONMENT, environment)
          .addToLabels("datahub.dev/result", record.result()).endMetadata()
          .addToData(DATA_KEY, JSON.writeValueAsString(record)).build();
      if (create) {
        client.configMaps().inNamespace(namespace).resource(cm).create();
      } else {
        client.configMaps().inNamespace(namespace).resource(cm).update();
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static DeploymentRecord parse(ConfigMap cm) {
    try {
      return JSON.readValue(cm.getData().get(DATA_KEY), DeploymentRecord.class);
    } catch (IOException e) {
      throw new DataHubException("deployment record " + cm.getMetadata().getName() + " is not valid JSON — delete it");
    }
  }
}
