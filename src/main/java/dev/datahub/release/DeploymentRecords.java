package dev.datahub.release;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.datahub.DataHubException;
import dev.datahub.Fix;
import dev.datahub.Wording;
import dev.datahub.Words;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Deployment records of one environment: ConfigMaps labelled {@code app.kubernetes.io/managed-by=datahub-maven-plugin}
 * in the environment's namespace, one per deploy/promote/rollback, named by the API server ({@code generateName}) and
 * ordered by their {@code sequence}, never by a clock.
 *
 * <p>Every record is signed with the namespace's {@link RecordKey}: editing a record (say, a smoke verdict from
 * {@code failed} to {@code passed}) without that key makes it untrusted. This class holds the one rule for "this record
 * passed its smoke test" ({@link #whyNotPassed}) and the one way a verdict is recorded ({@link #recordVerdict}).
 *
 * <p>Pruning keeps the newest {@code keep} records, and never removes the newest succeeded record, the newest record
 * whose smoke test passed, nor one of the newest {@code keep} records that were promoted (prod's records point at them).
 */
public final class DeploymentRecords {

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String PLUGIN = "datahub-maven-plugin";
  public static final String ENVIRONMENT = "datahub.dev/environment";
  public static final String RESULT = "datahub.dev/result";
  /** Set on a staging record when prod got its bundle: prod's record points at it, pruning keeps it. */
  public static final String PROMOTED = "datahub.dev/promoted";
  public static final String DATA_KEY = "record.json";
  private static final String SIGNING = "deployment-record";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper CANONICAL = JsonMapper.builder()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY).enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private final KubernetesClient client;
  private final String namespace;
  private final String environment;
  private final int keep;
  private RecordKey key;

  public DeploymentRecords(KubernetesClient client, String namespace, String environment, int keep) {
    this.client = client;
    this.namespace = namespace;
    this.environment = environment;
    this.keep = Math.max(1, keep);
  }

  /** The namespace's key, read (or created) on first use. */
  public synchronized RecordKey key() {
    if (key == null) {
      key = RecordKey.load(client, namespace);
    }
    return key;
  }

  /** The namespace's key if it exists, without creating it (read-only goals). */
  public synchronized Optional<RecordKey> existingKey() {
    if (key == null) {
      RecordKey.find(client, namespace).ifPresent(found -> key = found);
    }
    return Optional.ofNullable(key);
  }

  /** All records, newest first. */
  public List<DeploymentRecord> all() {
    return stored().stream().map(DeploymentRecords::parse).toList();
  }

  private List<ConfigMap> stored() {
    Comparator<ConfigMap> newestFirst = Comparator.<ConfigMap>comparingLong(cm -> parse(cm).sequence())
        .thenComparing(cm -> Objects.requireNonNullElse(cm.getMetadata().getCreationTimestamp(), ""))
        .thenComparing(cm -> cm.getMetadata().getName()).reversed();
    return client.configMaps().inNamespace(namespace).withLabel(MANAGED_BY, PLUGIN).withLabel(ENVIRONMENT, environment)
        .list().getItems().stream().filter(cm -> cm.getData() != null && cm.getData().containsKey(DATA_KEY))
        .sorted(newestFirst).toList();
  }

  public Optional<DeploymentRecord> latest() {
    return all().stream().findFirst();
  }

  /** The newest record whose result is succeeded: what the environment runs. */
  public Optional<DeploymentRecord> latestSucceeded() {
    return all().stream().filter(DeploymentRecord::succeeded).findFirst();
  }

  /** Whether the record is as the plugin wrote it (its signature verifies with the namespace's key). */
  public boolean verified(DeploymentRecord record) {
    return key().verify(SIGNING, canonical(record), record.signature());
  }

  /**
   * The one rule for "this record passed its smoke test": written by the plugin (signature), its deploy succeeded, and
   * its smoke test passed for the image the record deployed. Empty when it passed; otherwise every reason it did not.
   */
  public List<String> whyNotPassed(DeploymentRecord record) {
    return whyNotPassed(record, Wording.NEUTRAL);
  }

  /** {@link #whyNotPassed(DeploymentRecord)}, naming the goal to run in {@code wording}'s words. */
  public List<String> whyNotPassed(DeploymentRecord record, Wording wording) {
    List<String> why = new ArrayList<>();
    String name = environment + "'s record " + record.id();
    if (!verified(record)) {
      why.add(name + " was not written by the plugin or was changed since (its signature does not verify with the key"
          + " in Secret " + RecordKey.SECRET + ") — deploy and smoke-test " + environment + " again");
      return why;
    }
    if (!record.succeeded()) {
      why.add(name + " (" + record.kind().text() + ") " + record.result().text()
          + (record.failure() == null ? "" : ": " + record.failure()));
    }
    if (record.smoke() == null) {
      why.add(Words.of(name + " has no smoke test result — run {}", Fix.goal("smoke-test")).in(wording));
    } else if (!record.smoke().passed()) {
      why.add(environment + "'s smoke test " + record.smoke().status().text() + ": " + record.smoke().summary());
    } else if (!Objects.equals(record.smoke().imageDigest(), record.imageDigest())) {
      why.add(environment + "'s smoke test saw image " + record.smoke().imageDigest() + ", not the deployed "
          + record.imageDigest());
    }
    return why;
  }

  /** Stores a new record (signed, the next sequence number, a name from the API server) and prunes. */
  public DeploymentRecord write(DeploymentRecord record) {
    List<DeploymentRecord> existing = all();
    long next = existing.stream().mapToLong(DeploymentRecord::sequence).max().orElse(0) + 1;
    DeploymentRecord numbered = sign(record.withId(null).withSequence(next));
    ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withGenerateName("datahub-" + environment + "-")
        .withNamespace(namespace).addToLabels(MANAGED_BY, PLUGIN).addToLabels(ENVIRONMENT, environment)
        .addToLabels(RESULT, numbered.result().text()).endMetadata()
        .addToData(DATA_KEY, json(numbered)).build();
    ConfigMap created = client.configMaps().inNamespace(namespace).resource(cm).create();
    DeploymentRecord stored = numbered.withId(created.getMetadata().getName());
    prune();
    return stored;
  }

  /**
   * The one way a smoke verdict is recorded: into this environment's latest record, signed, written with the record's
   * resourceVersion as precondition (a concurrent change fails instead of being overwritten).
   *
   * @param observedDigest the image the smoke test saw in the single-user server
   * @param hubUrl the hub that was tested
   * @param failResult when the test failed: also mark the record's result failed (prod after promote)
   */
  public DeploymentRecord recordVerdict(boolean passed, String observedDigest, String hubUrl, String summary,
      String time, boolean failResult) {
    ConfigMap latest = stored().stream().findFirst().orElseThrow(() -> new DataHubException("no deployment record in "
        + "namespace " + namespace + " for environment " + environment + " — deploy with {} before the smoke test",
        Fix.goal("deploy-staging")));
    DeploymentRecord record = parse(latest).withSmoke(new DeploymentRecord.SmokeOutcome(
        passed ? DeploymentRecord.SmokeStatus.PASSED : DeploymentRecord.SmokeStatus.FAILED, observedDigest, hubUrl,
        summary, time));
    if (!passed && failResult) {
      record = record.withResult(DeploymentRecord.Result.FAILED, "smoke test failed: " + summary);
    }
    DeploymentRecord signed = sign(record);
    latest.getData().put(DATA_KEY, json(signed));
    latest.getMetadata().getLabels().put(RESULT, signed.result().text());
    try {
      client.configMaps().inNamespace(namespace).resource(latest).update(); // carries the resourceVersion read above
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw new DataHubException("deployment record " + latest.getMetadata().getName() + " changed while the smoke "
            + "verdict was written — run the smoke test again");
      }
      throw e;
    }
    return signed;
  }

  /** Marks a record as promoted: prod's record points at it, so pruning keeps it. */
  public void markPromoted(String id) {
    client.configMaps().inNamespace(namespace).withName(id).edit(cm -> {
      cm.getMetadata().getLabels().put(PROMOTED, "true");
      return cm;
    });
  }

  private void prune() {
    List<ConfigMap> all = stored();
    Set<String> kept = new LinkedHashSet<>();
    all.stream().limit(keep).forEach(cm -> kept.add(cm.getMetadata().getName()));
    all.stream().filter(cm -> parse(cm).succeeded()).findFirst().ifPresent(cm -> kept.add(cm.getMetadata().getName()));
    all.stream().filter(cm -> parse(cm).smoke() != null && parse(cm).smoke().passed()).findFirst()
        .ifPresent(cm -> kept.add(cm.getMetadata().getName()));
    all.stream().filter(cm -> "true".equals(cm.getMetadata().getLabels().get(PROMOTED))).limit(keep)
        .forEach(cm -> kept.add(cm.getMetadata().getName()));
    for (ConfigMap cm : all) {
      if (!kept.contains(cm.getMetadata().getName())) {
        client.configMaps().inNamespace(namespace).withName(cm.getMetadata().getName()).delete();
      }
    }
  }

  private DeploymentRecord sign(DeploymentRecord record) {
    return record.withSignature(key().hmac(SIGNING, canonical(record)));
  }

  private static String canonical(DeploymentRecord record) {
    try {
      return CANONICAL.writeValueAsString(record.withId(null).withSignature(null));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String json(DeploymentRecord record) {
    try {
      return JSON.writeValueAsString(record);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static DeploymentRecord parse(ConfigMap cm) {
    try {
      return JSON.readValue(cm.getData().get(DATA_KEY), DeploymentRecord.class).withId(cm.getMetadata().getName());
    } catch (IOException e) {
      throw new DataHubException("deployment record " + cm.getMetadata().getName() + " is not valid JSON — delete it "
          + "(kubectl delete configmap " + cm.getMetadata().getName() + ")");
    }
  }
}
