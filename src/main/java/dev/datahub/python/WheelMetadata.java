package dev.datahub.python;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a wheel's {@code METADATA} (core metadata, RFC 822 style) that matter here.
 *
 * @param requiresDist every {@code Requires-Dist} value, markers included
 * @param requiresPython the {@code Requires-Python} specifier, or null
 */
public record WheelMetadata(String name, String version, List<String> requiresDist, String requiresPython) {

  public WheelMetadata {
    requiresDist = List.copyOf(requiresDist);
  }

  public static WheelMetadata parse(String text) {
    String name = null;
    String version = null;
    String requiresPython = null;
    List<String> requires = new ArrayList<>();
    String key = null;
    StringBuilder value = new StringBuilder();
    for (String line : (text + "\n\n").split("\r?\n", -1)) {
      if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && key != null) {
        value.append(' ').append(line.trim());
        continue;
      }
      if (key != null) {
        String v = value.toString().trim();
        switch (key.toLowerCase(java.util.Locale.ROOT)) {
          case "name" -> name = v;
          case "version" -> version = v;
          case "requires-dist" -> requires.add(v);
          case "requires-python" -> requiresPython = v;
          default -> { }
        }
        key = null;
      }
      if (line.isEmpty()) {
        break; // the body (description) follows the first blank line
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        key = line.substring(0, colon).trim();
        value.setLength(0);
        value.append(line.substring(colon + 1));
      }
    }
    return new WheelMetadata(name, version, requires, requiresPython);
  }
}
