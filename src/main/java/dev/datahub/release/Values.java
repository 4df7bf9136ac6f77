package dev.datahub.release;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.datahub.DataHubException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Reading, merging (Helm's rules: maps merge, everything else replaces), flattening and hashing values. */
public final class Values {

  static final YAMLMapper YAML = new YAMLMapper();
  static final ObjectMapper CANONICAL = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private Values() {}

  public static Map<String, Object> read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DataHubException("values file " + file + " does not exist — fix the path in the plugin configuration");
    }
    try {
      Map<String, Object> map = YAML.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
      return map == null ? new LinkedHashMap<>() : map;
    } catch (IOException e) {
      // The message may quote file content; for secret files that would leak, so name the file only.
      throw new DataHubException("values file " + file + " is not a YAML map — fix its syntax");
    }
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overlay) {
    Map<String, Object> result = new LinkedHashMap<>(base);
    overlay.forEach((key, value) -> {
      Object existing = result.get(key);
      if (value instanceof Map<?, ?> m && existing instanceof Map<?, ?> e) {
        result.put(key, merge((Map<String, Object>) e, (Map<String, Object>) m));
      } else {
        result.put(key, value);
      }
    });
    return result;
  }

  /** Leaves as {@code a.b.c -> value}; lists are leaves. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> flatten(Map<String, Object> values) {
    Map<String, Object> out = new TreeMap<>();
    values.forEach((k, v) -> {
      if (v instanceof Map<?, ?> m && !m.isEmpty()) {
        flatten((Map<String, Object>) m).forEach((ck, cv) -> out.put(k + "." + ck, cv));
      } else {
        out.put(k, v);
      }
    });
    return out;
  }

  @SuppressWarnings("unchecked")
  static void collectStrings(Object value, Set<String> into) {
    if (value instanceof Map<?, ?> m) {
      m.values().forEach(v -> collectStrings(v, into));
    } else if (value instanceof List<?> l) {
      l.forEach(v -> collectStrings(v, into));
    } else if (value != null && !(value instanceof Boolean)) {
      // true/false are switches, not secrets; masking them would garble every report that prints a boolean.
      into.add(String.valueOf(value));
    }
  }

  public static String hash(Map<String, Object> values) {
    return Hashing.sha256(canonical(values));
  }

  /** Keys sorted at every level: the same values give the same text, whatever the files' order. */
  public static String canonical(Map<String, Object> values) {
    try {
      return CANONICAL.writeValueAsString(new TreeMap<>(values));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads {@code a.b.c} from nested maps, or null. */
  public static Object at(Map<String, Object> values, String dottedPath) {
    Object current = values;
    for (String part : dottedPath.split("\\.")) {
      if (!(current instanceof Map<?, ?> m)) {
        return null;
      }
      current = m.get(part);
    }
    return current;
  }

  /** A map that sets {@code a.b.c} to value. */
  public static Map<String, Object> nested(String dottedPath, Object value) {
    String[] parts = dottedPath.split("\\.");
    Object current = value;
    for (int i = parts.length - 1; i >= 0; i--) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put(parts[i], current);
      current = m;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> result = (Map<String, Object>) current;
    return result;
  }
}
