package dev.datahub.release;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.datahub.DataHubException;
import dev.datahub.log.Redactor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A rendered manifest as resources: from the offline render ({@link ChartRender}) or from the manifest Helm stored
 * for a revision. Secrets are masked whenever it is shown or written.
 */
record RenderedManifest(List<Resource> resources) {

  /** Quotes only where YAML needs them ({@code tag: "4.1.0"} stays a string), as Helm's own output does. */
  private static final com.fasterxml.jackson.dataformat.yaml.YAMLMapper WRITER =
      com.fasterxml.jackson.dataformat.yaml.YAMLMapper.builder()
          .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .disable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build();

  /**
   * One rendered object.
   *
   * @param source the template it came from ({@code hub/charts/jupyterhub/templates/hub/deployment.yaml})
   * @param hook the {@code helm.sh/hook} events, or null for an ordinary resource
   */
  record Resource(String source, String kind, String name, String hook, Map<String, Object> object) {
    String key() {
      return kind + "/" + name;
    }

    boolean secret() {
      return "Secret".equals(kind);
    }
  }

  /** Splits {@code ---}-separated documents, each optionally headed by {@code # Source: …}; empty ones are dropped. */
  static RenderedManifest parse(String text) {
    List<Resource> out = new ArrayList<>();
    String source = null;
    for (String doc : text.split("(?m)^---\\s*$")) {
      StringBuilder body = new StringBuilder();
      for (String line : doc.split("\n", -1)) {
        if (line.startsWith("# Source: ")) {
          source = line.substring("# Source: ".length()).strip();
        } else {
          body.append(line).append('\n');
        }
      }
      if (body.toString().lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
        continue;
      }
      Map<String, Object> object;
      try {
        object = Values.YAML.readValue(body.toString(), new TypeReference<LinkedHashMap<String, Object>>() {});
      } catch (IOException e) {
        throw new DataHubException("template " + source + " renders invalid YAML (" + HelmDeployer.oneLine(
            e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()) + ") — fix the chart or values");
      }
      if (object == null || object.get("kind") == null) {
        continue;
      }
      Map<?, ?> metadata = object.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
      Map<?, ?> annotations = metadata.get("annotations") instanceof Map<?, ?> a ? a : Map.of();
      Object hook = annotations.get("helm.sh/hook");
      out.add(new Resource(source, String.valueOf(object.get("kind")), String.valueOf(metadata.get("name")),
          hook == null ? null : String.valueOf(hook), object));
    }
    return new RenderedManifest(List.copyOf(out));
  }

  /** Ordinary resources (what Helm stores as the release manifest) by {@code Kind/name}. */
  Map<String, Resource> byKey() {
    Map<String, Resource> out = new TreeMap<>();
    resources.stream().filter(r -> r.hook() == null).forEach(r -> out.put(r.key(), r));
    return out;
  }

  List<Resource> hooks() {
    return resources.stream().filter(r -> r.hook() != null).toList();
  }

  /** Container images, each with the resources that run it, in first-seen order. */
  Map<String, List<String>> images() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Resource r : resources) {
      collectImages(r.object(), false, image -> {
        List<String> users = out.computeIfAbsent(image, k -> new ArrayList<>());
        if (!users.contains(r.key())) {
          users.add(r.key());
        }
      });
    }
    return out;
  }

  private static void collectImages(Object node, boolean inContainers, java.util.function.Consumer<String> sink) {
    if (node instanceof Map<?, ?> map) {
      if (inContainers && map.get("image") instanceof String image) {
        sink.accept(image);
      }
      map.forEach((k, v) -> collectImages(v, String.valueOf(k).endsWith("ontainers"), sink));
    } else if (node instanceof List<?> list) {
      list.forEach(item -> collectImages(item, inContainers, sink));
    }
  }

  /** The object with every Secret value replaced by {@code ****}. */
  static Map<String, Object> masked(Resource resource) {
    Map<String, Object> copy = new LinkedHashMap<>(resource.object());
    if (resource.secret()) {
      for (String key : List.of("data", "stringData")) {
        if (copy.get(key) instanceof Map<?, ?> data) {
          Map<String, Object> hidden = new LinkedHashMap<>();
          data.keySet().forEach(k -> hidden.put(String.valueOf(k), Redactor.MASK));
          copy.put(key, hidden);
        }
      }
    }
    return copy;
  }

  /** The whole manifest as YAML with secrets masked (and every registered secret string redacted). */
  String maskedYaml(Redactor redactor) {
    StringBuilder out = new StringBuilder();
    for (Resource r : resources) {
      try {
        out.append("---\n# Source: ").append(r.source()).append('\n')
            .append(WRITER.writeValueAsString(masked(r)));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return redactor.redact(out.toString());
  }

  /** Leaves as {@code spec.template.spec.containers[0].image -> value}, unmasked: compare, then show with {@link #secretField}. */
  static Map<String, Object> fields(Resource resource) {
    Map<String, Object> out = new TreeMap<>();
    flatten("", resource.object(), out);
    return out;
  }

  /** True for a field whose value must only be shown as {@code ****}. */
  static boolean secretField(Resource resource, String path) {
    return resource.secret() && (path.startsWith("data.") || path.startsWith("stringData."));
  }

  private static void flatten(String prefix, Object node, Map<String, Object> out) {
    if (node instanceof Map<?, ?> map && !map.isEmpty()) {
      map.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, out));
    } else if (node instanceof List<?> list && !list.isEmpty()) {
      for (int i = 0; i < list.size(); i++) {
        flatten(prefix + "[" + i + "]", list.get(i), out);
      }
    } else {
      out.put(prefix, node);
    }
  }
}
