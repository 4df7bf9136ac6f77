package dev.datahub.python;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parsed wheel file name (PEP 427): {@code {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl},
 * where each tag part may hold several dot-separated tags.
 */
public record WheelFileName(String fileName, String name, String version, String build, List<WheelTag> tags) {

  public WheelFileName {
    tags = List.copyOf(tags);
  }

  /** Empty when {@code fileName} is not a wheel name. */
  public static Optional<WheelFileName> parse(String fileName) {
    if (!fileName.endsWith(".whl")) {
      return Optional.empty();
    }
    String[] parts = fileName.substring(0, fileName.length() - 4).split("-");
    if (parts.length != 5 && parts.length != 6) {
      return Optional.empty();
    }
    String build = parts.length == 6 ? parts[2] : null;
    int t = parts.length - 3;
    List<WheelTag> tags = new ArrayList<>();
    for (String py : parts[t].split("\\.")) {
      for (String abi : parts[t + 1].split("\\.")) {
        for (String plat : parts[t + 2].split("\\.")) {
          tags.add(new WheelTag(py, abi, plat));
        }
      }
    }
    return Optional.of(new WheelFileName(fileName, parts[0], parts[1], build, tags));
  }

  public String normalizedName() {
    return PackageName.normalize(name);
  }

  /** The build number's leading digits, 0 without a build tag; a higher build wins between equal tags. */
  public int buildNumber() {
    if (build == null) {
      return 0;
    }
    int i = 0;
    while (i < build.length() && Character.isDigit(build.charAt(i))) {
      i++;
    }
    return i == 0 ? 0 : Integer.parseInt(build.substring(0, Math.min(i, 9)));
  }

  /** The tag triplet part of the name, e.g. {@code py3-none-any}. */
  public String tagText() {
    String[] parts = fileName.substring(0, fileName.length() - 4).split("-");
    int t = parts.length - 3;
    return parts[t] + "-" + parts[t + 1] + "-" + parts[t + 2];
  }
}
