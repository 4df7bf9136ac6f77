package dev.datahub.release;

import com.marcnuri.helm.Helm;
import dev.datahub.DataHubException;
import dev.datahub.Wording;
import dev.datahub.log.Redactor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Computes a {@link ReleasePlan}: renders the chart's full manifest offline with the composed values (Helm's engine,
 * as {@code helm template}: {@code lookup} returns nothing; see {@link ChartRender}) and — with a cluster — diffs it
 * resource by resource and field by field against the manifest Helm stored for the live revision, and the values
 * against that revision's values.
 */
public final class ReleasePlanner {

  /** Field changes shown per resource; the rest are counted. */
  private static final int FIELDS_PER_RESOURCE = 12;
  private static final int MAX_SHOWN = 120;

  private final Redactor redactor;
  private final Path chartCache;
  private final Wording wording;

  public ReleasePlanner(Redactor redactor) {
    this(redactor, ChartDependencies.DEFAULT_CACHE, Wording.NEUTRAL);
  }

  /** @param wording how the plan's lines name a setting (the Maven layer's: {@code -Ddatahub.…}) */
  public ReleasePlanner(Redactor redactor, Wording wording) {
    this(redactor, ChartDependencies.DEFAULT_CACHE, wording);
  }

  /** @param chartCache where verified chart and dependency archives are kept */
  public ReleasePlanner(Redactor redactor, Path chartCache) {
    this(redactor, chartCache, Wording.NEUTRAL);
  }

  private ReleasePlanner(Redactor redactor, Path chartCache, Wording wording) {
    this.redactor = redactor;
    this.chartCache = chartCache;
    this.wording = wording;
  }

  /** @param live the live release, or null for a render-only plan */
  public ReleasePlan plan(EnvironmentSpec env, ChartSource chart, ComposedValues values, ImageRef image,
      HubRelease live) {
    KubeVersion kube = KubeVersion.of(env, live == null ? null : live.kubernetesVersion());
    String label = chart.name() + "-" + chart.version();
    RenderedManifest manifest;
    String schema;
    List<String> notes = new ArrayList<>();
    try (PreparedChart prepared = PreparedChart.of(chart, chartCache)) {
      prepared.fetchedDependencies().forEach(d -> notes.add("dependency " + d + " (verified, cached)"));
      boolean lookup = ChartRender.callsLookup(prepared);
      manifest = ChartRender.render(prepared, env, kube, values.orderedFiles(), label, redactor);
      schema = prepared.schema();
      if (lookup) {
        notes.add("the chart calls lookup, which returns nothing in this render (as in helm template): values it "
            + "keeps from the cluster, such as generated secrets, are generated anew here" + (live == null ? ""
            : "; a Secret field shown as changed may be only that"));
      }
    }
    List<String> rendered = new ArrayList<>(manifest.byKey().keySet());
    List<String> hooks = manifest.hooks().stream().map(h -> h.key() + " (" + h.hook() + ")").toList();
    List<String> images = manifest.images().entrySet().stream()
        .map(e -> redactor.redact(e.getKey()) + " — " + String.join(", ", e.getValue())).toList();
    String kubeLine = kube.version() + " (" + kube.source().in(wording) + ")";
    String masked = manifest.maskedYaml(redactor);
    String shownImage = image == null ? null : image.fullReference();
    if (live == null) {
      return new ReleasePlan(env.name(), shownImage, label, kubeLine, schema, null, rendered, hooks, images, notes,
          false, List.of(), List.of(), List.of(), values.commonValuesDigest(), values.environmentValuesDigest(),
          values.imageValuesDigest(), List.copyOf(new TreeSet<>(values.secretPaths())),
          values.secretValues().isEmpty() ? ComposedValues.NONE : null, masked);
    }
    Optional<StoredRelease> current = live.store().lastDeployed();
    Map<String, RenderedManifest.Resource> deployed = current.map(r -> RenderedManifest.parse(r.manifest()).byKey())
        .orElse(Map.of());
    Map<String, RenderedManifest.Resource> proposed = manifest.byKey();
    Set<String> all = new TreeSet<>(deployed.keySet());
    all.addAll(proposed.keySet());
    List<String> resourceChanges = new ArrayList<>();
    List<String> fieldChanges = new ArrayList<>();
    for (String key : all) {
      RenderedManifest.Resource before = deployed.get(key);
      RenderedManifest.Resource after = proposed.get(key);
      if (before == null) {
        resourceChanges.add("+ " + key);
      } else if (after == null) {
        resourceChanges.add("- " + key);
      } else {
        List<String> fields = fieldChanges(key, before, after);
        if (!fields.isEmpty()) {
          resourceChanges.add("~ " + key);
          fieldChanges.addAll(fields);
        }
      }
    }
    // Secret in the new values or in what runs: a key removed from the secret files is still masked.
    Set<String> secretPaths = new TreeSet<>(values.secretPaths());
    live.records().all().stream().filter(r -> r.bundle() != null)
        .forEach(r -> secretPaths.addAll(r.bundle().secretPaths()));
    Map<String, Object> beforeValues = Values.flatten(current.map(StoredRelease::config).orElse(Map.of()));
    Map<String, Object> afterValues = Values.flatten(values.valuesWithSecrets());
    Set<String> keys = new TreeSet<>(beforeValues.keySet());
    keys.addAll(afterValues.keySet());
    List<String> valueChanges = new ArrayList<>();
    for (String key : keys) {
      Object a = beforeValues.get(key);
      Object b = afterValues.get(key);
      if (Objects.equals(a, b)) {
        continue;
      }
      boolean secret = secretPaths.contains(key);
      valueChanges.add(change(key, a, b, secret));
    }
    return new ReleasePlan(env.name(), shownImage, label, kubeLine, schema,
        current.map(StoredRelease::revision).orElse(null), rendered, hooks, images, notes, true, resourceChanges,
        fieldChanges, valueChanges, values.commonValuesDigest(), values.environmentValuesDigest(),
        values.imageValuesDigest(), List.copyOf(new TreeSet<>(values.secretPaths())),
        live.records().existingKey().map(values::secretHmac).orElse(null), masked);
  }

  /** {@code ~ Kind/name path: a -> b} per changed leaf; Secret data as {@code ****}. */
  private List<String> fieldChanges(String key, RenderedManifest.Resource before, RenderedManifest.Resource after) {
    Map<String, Object> a = RenderedManifest.fields(before);
    Map<String, Object> b = RenderedManifest.fields(after);
    Set<String> paths = new TreeSet<>(a.keySet());
    paths.addAll(b.keySet());
    List<String> out = new ArrayList<>();
    int hidden = 0;
    for (String path : paths) {
      if (Objects.equals(a.get(path), b.get(path))) {
        continue;
      }
      if (out.size() >= FIELDS_PER_RESOURCE) {
        hidden++;
        continue;
      }
      String line = change(path, a.get(path), b.get(path), RenderedManifest.secretField(after, path));
      out.add(line.charAt(0) + " " + key + " " + line.substring(2));
    }
    if (hidden > 0) {
      out.add("~ " + key + " … and " + hidden + " more field(s) (see the manifest file)");
    }
    return out;
  }

  private String change(String path, Object a, Object b, boolean secret) {
    String from = secret && a != null ? Redactor.MASK : show(a);
    String to = secret && b != null ? Redactor.MASK : show(b);
    String sign = a == null ? "+ " : b == null ? "- " : "~ ";
    return redactor.redact(sign + path + ": " + (a == null ? to : b == null ? from : from + " -> " + to));
  }

  /**
   * {@code helm lint} (offline) of the prepared chart — dependencies in charts/, a YAML-only schema converted — for
   * every kind of chart; returns its messages, throws when the chart fails. (helm-java's lint takes no Kubernetes
   * version; the chart's kubeVersion constraint is checked by the render.)
   */
  public List<String> lint(ChartSource chart) {
    try (PreparedChart prepared = PreparedChart.of(chart, chartCache)) {
      com.marcnuri.helm.LintResult result = new Helm(prepared.directory()).lint().call();
      String temp = prepared.directory().toString();
      List<String> messages = result.getMessages().stream()
          .map(m -> redactor.redact(HelmDeployer.oneLine(m.replace(temp, chart.name())))).toList();
      if (result.isFailed()) {
        throw new DataHubException("helm lint of chart " + chart.describe() + " failed: " + String.join("; ", messages)
            + " — fix the chart");
      }
      return messages;
    }
  }

  private static String show(Object value) {
    String text = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    return text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "…\"" : text.replace("\n", "\\n");
  }
}
