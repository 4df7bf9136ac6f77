package dev.datahub.release;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import dev.datahub.DataHubException;
import dev.datahub.Words;
import dev.datahub.log.Redactor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Renders a chart's full manifest offline, as {@code helm template} does: {@code lookup} returns nothing, nothing is
 * sent anywhere, no kubeconfig is read.
 *
 * <p>How, with helm-java 0.0.21: its {@code template()} builds Helm's engine with a REST config from the default
 * kubeconfig (it passes no client dry-run), so every {@code lookup} goes to whatever cluster KUBECONFIG or
 * ~/.kube/config names (or localhost:8080) and fails without one. Its {@code install()} with {@code clientOnly()} and
 * {@code --dry-run=client} renders exactly like {@code helm template} — but returns only the status report and the
 * NOTES, never the manifest. So the prepared copy of the chart (never the configured chart) gets a generated
 * {@code templates/NOTES.txt} that {@code include}s every template file of the chart and its subcharts with the very
 * context Helm gives that file ({@code .Subcharts.<name>} holds a subchart's), each headed {@code # Source: …} like
 * {@code helm template}'s output. Errors are Helm's own ({@code fail}, template errors, schema violations, the
 * chart's {@code kubeVersion} constraint): the real render of the same chart runs first in the same call.
 */
final class ChartRender {

  private static final Pattern LOOKUP = Pattern.compile("\\blookup\\s+[\"(]");

  private ChartRender() {}

  static RenderedManifest render(PreparedChart chart, EnvironmentSpec env, KubeVersion kube, List<Path> valuesFiles,
      String chartLabel, Redactor redactor) {
    Path root = chart.directory();
    try {
      Files.createDirectories(root.resolve("templates"));
      Files.writeString(root.resolve("templates/NOTES.txt"), notes(root));
    } catch (IOException e) {
      throw new DataHubException("cannot prepare the render of chart " + chartLabel + ": " + e.getMessage()
          + " — check java.io.tmpdir");
    }
    InstallCommand install = new Helm(root).install().withName(env.release()).withNamespace(env.namespace())
        .clientOnly().dryRun().withDryRunOption(DryRun.CLIENT).withKubeVersion(kube.version());
    for (Path file : valuesFiles) {
      install.withValuesFile(file.toAbsolutePath());
    }
    String output;
    try {
      output = install.call().getOutput();
    } catch (IllegalStateException e) {
      String message = redactor.redact(HelmDeployer.oneLine(e.getMessage()));
      Words version = kube.explain(chartLabel, message);
      throw version != null ? new DataHubException(version) : new DataHubException("chart " + chartLabel
          + " does not render with " + env.name() + "'s values: " + message + " — fix the values (or the chart)");
    }
    int notes = output.indexOf("NOTES:\n");
    return RenderedManifest.parse(notes < 0 ? "" : output.substring(notes + "NOTES:\n".length()));
  }

  /** True when a template of the chart or a subchart calls {@code lookup}. */
  static boolean callsLookup(PreparedChart chart) {
    try (Stream<Path> files = Files.walk(chart.directory())) {
      return files.filter(p -> p.toString().contains("/templates/") && Files.isRegularFile(p))
          .filter(p -> !p.getFileName().toString().equals("NOTES.txt")).anyMatch(p -> {
            try {
              return LOOKUP.matcher(Files.readString(p)).find();
            } catch (IOException e) {
              return false;
            }
          });
    } catch (IOException e) {
      return false;
    }
  }

  /** The generated NOTES.txt: every template of the chart tree, included with its own context. */
  static String notes(Path root) throws IOException {
    StringBuilder out = new StringBuilder("{{- $c0 := . }}\n");
    String name = String.valueOf(Values.read(root.resolve("Chart.yaml")).get("name"));
    chart(out, root, name, 0, new int[] {0});
    return out.toString();
  }

  private static void chart(StringBuilder out, Path dir, String fullPath, int var, int[] counter) throws IOException {
    Map<String, Object> meta = Values.read(dir.resolve("Chart.yaml"));
    if (!"library".equals(meta.get("type"))) {
      for (String template : templates(dir)) {
        String name = fullPath + "/templates/" + template;
        String base = fullPath + "/templates";
        out.append("---\n# Source: ").append(name).append('\n')
            .append("{{- $_ := set $c").append(var).append(" \"Template\" (dict \"Name\" ").append(quote(name))
            .append(" \"BasePath\" ").append(quote(base)).append(") }}\n")
            .append("{{ include ").append(quote(name)).append(" $c").append(var).append(" }}\n");
      }
    }
    Path charts = dir.resolve("charts");
    if (!Files.isDirectory(charts)) {
      return;
    }
    Map<String, List<String>> aliases = aliases(meta);
    List<Path> subcharts;
    try (Stream<Path> list = Files.list(charts)) {
      subcharts = list.filter(p -> Files.isRegularFile(p.resolve("Chart.yaml"))).sorted().toList();
    }
    for (Path sub : subcharts) {
      String subName = String.valueOf(Values.read(sub.resolve("Chart.yaml")).get("name"));
      for (String key : aliases.getOrDefault(subName, List.of(subName))) {
        int child = ++counter[0];
        // A subchart disabled by its condition or tags is not in .Subcharts: skip it as Helm does.
        out.append("{{- $c").append(child).append(" := dig ").append(quote(key)).append(" \"\" $c").append(var)
            .append(".Subcharts }}\n{{- if $c").append(child).append(" }}\n");
        chart(out, sub, fullPath + "/charts/" + key, child, counter);
        out.append("{{- end }}\n");
      }
    }
  }

  /** Dependency name → the names Helm gives it ({@code alias} when set). */
  private static Map<String, List<String>> aliases(Map<String, Object> meta) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (meta.get("dependencies") instanceof List<?> deps) {
      for (Object d : deps) {
        if (d instanceof Map<?, ?> dep && dep.get("name") != null) {
          String alias = dep.get("alias") == null ? String.valueOf(dep.get("name")) : String.valueOf(dep.get("alias"));
          out.computeIfAbsent(String.valueOf(dep.get("name")), k -> new ArrayList<>()).add(alias);
        }
      }
    }
    return out;
  }

  /** Template files Helm renders to manifests: not partials ({@code _*}), not NOTES.txt; sorted. */
  private static List<String> templates(Path chart) throws IOException {
    Path dir = chart.resolve("templates");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("_"))
          .filter(p -> !p.getFileName().toString().equals("NOTES.txt"))
          .map(p -> dir.relativize(p).toString().replace('\\', '/')).sorted().toList();
    }
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
