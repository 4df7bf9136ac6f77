package dev.datahub.release;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.datahub.DataHubException;
import dev.datahub.log.Redactor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Computes a {@link ReleasePlan}: renders the chart with the composed values using Helm's template engine, and — with
 * a cluster — diffs resources against the manifest Helm stored for the live revision and values against that
 * revision's values.
 *
 * <p>helm-java's {@code template()} resolves a chart's {@code lookup} calls against the default kubeconfig (it has
 * no kubeconfig option); without a reachable cluster there, such a chart (z2jh is one) cannot be rendered and the plan
 * is values-only, saying so.
 */
public final class ReleasePlanner {

  private static final Pattern KIND = Pattern.compile("(?m)^kind:\\s*['\"]?([A-Za-z0-9]+)");
  private static final Pattern NAME = Pattern.compile("(?m)^metadata:\\s*\\n(?:\\s+.*\\n)*?\\s{2}name:\\s*['\"]?([^'\"\\s]+)");

  private final Redactor redactor;

  public ReleasePlanner(Redactor redactor) {
    this.redactor = redactor;
  }

  /** @param live the live release, or null for a render-only plan */
  public ReleasePlan plan(EnvironmentSpec env, ChartSource chart, ComposedValues values, ImageRef image,
      HubRelease live) {
    String manifest = null;
    String note = null;
    try {
      manifest = render(env, chart, values);
    } catch (IllegalStateException e) {
      String message = redactor.redact(HelmDeployer.oneLine(e.getMessage()));
      if (!message.contains("lookup")) {
        throw new DataHubException("the chart does not render with " + env.name() + "'s values: " + message
            + " — fix the chart or values");
      }
      note = "the chart calls lookup and no cluster is reachable through the default kubeconfig (helm-java's "
          + "template has no kubeconfig option); only values are shown; resources were not rendered";
    }
    Map<String, String> proposed = manifest == null ? Map.of() : resources(manifest);
    List<String> rendered = new ArrayList<>(proposed.keySet());
    if (live == null) {
      return new ReleasePlan(env.name(), image == null ? null : image.fullReference(), chart.name() + "-"
          + chart.version(), null, manifest != null, note, rendered, false, List.of(), List.of(),
          values.commonValuesDigest(), values.environmentValuesDigest(), values.imageValuesDigest(),
          List.copyOf(new TreeSet<>(values.secretPaths())), values.secretValues().isEmpty() ? ComposedValues.NONE : null);
    }
    Optional<StoredRelease> current = live.store().lastDeployed();
    List<String> resourceChanges = new ArrayList<>();
    if (manifest != null) {
      Map<String, String> deployed = current.map(r -> resources(r.manifest())).orElse(Map.of());
      Set<String> all = new TreeSet<>(deployed.keySet());
      all.addAll(proposed.keySet());
      for (String key : all) {
        if (!deployed.containsKey(key)) {
          resourceChanges.add("+ " + key);
        } else if (!proposed.containsKey(key)) {
          resourceChanges.add("- " + key);
        } else if (!normalize(deployed.get(key)).equals(normalize(proposed.get(key)))) {
          resourceChanges.add("~ " + key);
        }
      }
    }
    // Secret in the new values or in what runs: a key removed from the secret files is still masked.
    Set<String> secretPaths = new TreeSet<>(values.secretPaths());
    live.records().all().stream().filter(r -> r.bundle() != null)
        .forEach(r -> secretPaths.addAll(r.bundle().secretPaths()));
    Map<String, Object> before = Values.flatten(current.map(StoredRelease::config).orElse(Map.of()));
    Map<String, Object> after = Values.flatten(values.valuesWithSecrets());
    Set<String> keys = new TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    List<String> valueChanges = new ArrayList<>();
    for (String key : keys) {
      Object a = before.get(key);
      Object b = after.get(key);
      if (Objects.equals(a, b)) {
        continue;
      }
      boolean secret = secretPaths.contains(key);
      String from = secret && a != null ? Redactor.MASK : show(a);
      String to = secret && b != null ? Redactor.MASK : show(b);
      String sign = a == null ? "+ " : b == null ? "- " : "~ ";
      valueChanges.add(redactor.redact(sign + key + ": " + (a == null ? to : b == null ? from : from + " -> " + to)));
    }
    return new ReleasePlan(env.name(), image == null ? null : image.fullReference(), chart.name() + "-"
        + chart.version(), current.map(StoredRelease::revision).orElse(null), manifest != null, note, rendered, true,
        resourceChanges, valueChanges, values.commonValuesDigest(), values.environmentValuesDigest(),
        values.imageValuesDigest(), List.copyOf(new TreeSet<>(values.secretPaths())),
        live.records().existingKey().map(values::secretHmac).orElse(null));
  }

  /**
   * {@code helm lint} of a local chart (offline); returns its messages, throws when the chart fails.
   * Charts from a repository or an OCI registry are not linted here (helm-java cannot pull them).
   */
  public List<String> lint(ChartSource chart) {
    if (chart.kind() != ChartSource.Kind.LOCAL) {
      return List.of("chart " + chart.name() + " " + chart.version() + " is not local: lint skipped");
    }
    com.marcnuri.helm.LintResult result = new Helm(Path.of(chart.location())).lint().call();
    List<String> messages = result.getMessages().stream().map(m -> redactor.redact(HelmDeployer.oneLine(m))).toList();
    if (result.isFailed()) {
      throw new DataHubException("helm lint of chart " + chart.location() + " failed: " + String.join("; ", messages)
          + " — fix the chart");
    }
    return messages;
  }

  private static String render(EnvironmentSpec env, ChartSource chart, ComposedValues values) {
    Path chartArchive = null;
    try {
      TemplateCommand template = switch (chart.kind()) {
        case LOCAL -> new Helm(Path.of(chart.location())).template();
        case REPOSITORY, OCI -> {
          chartArchive = ChartRepository.fetch(chart, Path.of(System.getProperty("java.io.tmpdir")), null);
          yield new Helm(chartArchive).template();
        }
      };
      template.withName(env.release()).withNamespace(env.namespace());
      for (Path file : values.orderedFiles()) {
        template.withValuesFile(file.toAbsolutePath());
      }
      return template.call();
    } finally {
      if (chartArchive != null) {
        try {
          java.nio.file.Files.deleteIfExists(chartArchive);
        } catch (java.io.IOException e) {
          // a temp file left behind holds only a repository URL
        }
      }
    }
  }

  /** {@code Kind/name -> document}. */
  static Map<String, String> resources(String manifest) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String doc : manifest.split("(?m)^---\\s*$")) {
      Matcher kind = KIND.matcher(doc);
      Matcher name = NAME.matcher(doc);
      if (kind.find() && name.find()) {
        out.put(kind.group(1) + "/" + name.group(1), doc);
      }
    }
    return out;
  }

  private static String normalize(String doc) {
    return doc.lines().filter(l -> !l.isBlank() && !l.startsWith("# Source:")).map(String::stripTrailing)
        .reduce("", (a, b) -> a + b + "\n");
  }

  private static String show(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }
}
