package dev.datahub.image;

import dev.datahub.DataHubException;
import dev.datahub.image.ImageLayer.ImageFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Turns content mappings into layers of files with fixed modes and a stable order, and checks
 * them: sources exist, stay inside the project, and no two mappings claim the same image path.
 */
final class ImageFiles {

  /** A layer ready for Jib: the files and the ownership they get. */
  record PlannedLayer(String name, List<ImageFile> files, String owner) {}

  private ImageFiles() {}

  /** Mode and owner a directory gets when neither the base image nor a lower layer has it (like Docker's COPY). */
  static final BaseImageLayers.Directory NEW_DIRECTORY = new BaseImageLayers.Directory(0755, "0:0");

  /** {@link #plan(List, List, Path, Map)} without knowledge of the base image's directories (offline checks). */
  static List<PlannedLayer> plan(List<ContentMapping> mappings, List<ImageLayer> extraLayers, Path projectDirectory) {
    return plan(mappings, extraLayers, projectDirectory, Map.of());
  }

  /**
   * The layers, bottom first. A content layer carries its target directory (the mapping's owner and
   * directory mode) and every ancestor of it with the attributes the image has below the layer —
   * the base image's ({@code baseDirectories}, setgid and sticky bits included) or a lower layer's —
   * so an upper layer never resets e.g. {@code /home/jovyan} to root:root 0755. An ancestor nobody
   * has gets {@link #NEW_DIRECTORY}.
   */
  static List<PlannedLayer> plan(List<ContentMapping> mappings, List<ImageLayer> extraLayers, Path projectDirectory,
      Map<String, BaseImageLayers.Directory> baseDirectories) {
    Map<String, BaseImageLayers.Directory> below = new HashMap<>(baseDirectories);
    List<PlannedLayer> layers = new ArrayList<>();
    for (ImageLayer extra : extraLayers) {
      PlannedLayer layer = new PlannedLayer(extra.name(), extra.files(), extra.owner());
      layers.add(layer);
      remember(layer, below);
    }
    for (ContentMapping mapping : mappings) {
      PlannedLayer layer = plan(mapping, projectDirectory, below);
      layers.add(layer);
      remember(layer, below);
    }
    checkConflicts(layers);
    return layers;
  }

  /** Directory entries of a layer become what the next layer finds below it. */
  private static void remember(PlannedLayer layer, Map<String, BaseImageLayers.Directory> below) {
    for (ImageFile file : layer.files()) {
      if (file.isDirectory()) {
        below.put(file.pathInImage(), new BaseImageLayers.Directory(file.mode(),
            file.owner() != null ? file.owner() : layer.owner()));
      }
    }
  }

  private static PlannedLayer plan(ContentMapping mapping, Path projectDirectory,
      Map<String, BaseImageLayers.Directory> below) {
    String target = mapping.target();
    if (target == null || !target.startsWith("/")) {
      throw new DataHubException("content target '" + target + "' for " + mapping.source()
          + " is not an absolute path — write it like /home/jovyan/notebooks");
    }
    String cleanTarget = normalizeImagePath(target);
    Path project = projectDirectory.toAbsolutePath().normalize();
    Path source = project.resolve(mapping.source()).normalize();
    if (!source.startsWith(project)) {
      throw new DataHubException("content source " + mapping.source() + " is outside the project directory " + project
          + " — move the files into the project or copy them there in an earlier build step");
    }
    if (!Files.exists(source)) {
      throw new DataHubException("content source " + project.relativize(source) + " does not exist"
          + " — create it or fix <source> in the <content> of <image>");
    }
    try {
      Path realProject = project.toRealPath();
      if (!source.toRealPath().startsWith(realProject)) {
        throw new DataHubException("content source " + mapping.source() + " resolves (through a link) outside the"
            + " project directory — replace the link by the files");
      }
    } catch (IOException e) {
      throw new DataHubException("cannot read content source " + source + ": " + e.getMessage());
    }
    Integer fileMode = parseMode(mapping.fileMode(), "fileMode", mapping);
    int directoryMode = mapping.directoryMode() == null ? 0755 : parseMode(mapping.directoryMode(), "directoryMode", mapping);
    String owner = mapping.owner() == null || mapping.owner().isBlank() ? "0:0" : mapping.owner();
    if (!owner.matches("\\d+:\\d+")) {
      throw new DataHubException("owner '" + owner + "' of content " + mapping.source()
          + " must be numeric uid:gid — e.g. 1000:100 for the docker-stacks user jovyan");
    }
    List<ImageFile> files = new ArrayList<>();
    List<String> ancestors = new ArrayList<>();
    for (String dir = parent(cleanTarget); !dir.equals("/"); dir = parent(dir)) {
      ancestors.add(0, dir);
    }
    for (String dir : ancestors) {
      BaseImageLayers.Directory existing = below.getOrDefault(dir, NEW_DIRECTORY);
      files.add(new ImageFile(project, dir, existing.mode(), existing.owner()));
    }
    if (Files.isDirectory(source)) {
      if (!cleanTarget.equals("/")) {
        files.add(new ImageFile(source, cleanTarget, directoryMode, owner));
      }
      try (Stream<Path> walk = Files.walk(source)) {
        List<Path> paths = walk.filter(p -> !p.equals(source))
            .sorted(Comparator.comparing(p -> source.relativize(p).toString().replace('\\', '/')))
            .toList();
        for (Path path : paths) {
          String relative = source.relativize(path).toString().replace('\\', '/');
          String inImage = cleanTarget.equals("/") ? "/" + relative : cleanTarget + "/" + relative;
          if (Files.isSymbolicLink(path) && !path.toRealPath().startsWith(project.toRealPath())) {
            throw new DataHubException("content file " + project.relativize(path) + " links outside the project"
                + " — replace the link by the file");
          }
          boolean dir = Files.isDirectory(path);
          files.add(new ImageFile(path, inImage, dir ? directoryMode : modeOf(path, fileMode)));
        }
      } catch (IOException e) {
        throw new DataHubException("cannot read content directory " + source + ": " + e.getMessage());
      }
    } else {
      files.add(new ImageFile(source, cleanTarget, modeOf(source, fileMode)));
    }
    return new PlannedLayer(mapping.layerName(), files, owner);
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  private static int modeOf(Path file, Integer configured) {
    if (configured != null) {
      return configured;
    }
    return Files.isExecutable(file) ? 0755 : 0644;
  }

  private static Integer parseMode(String mode, String what, ContentMapping mapping) {
    if (mode == null || mode.isBlank()) {
      return null;
    }
    if (!mode.matches("0?[0-7]{3}|[0-7]{4}")) {
      throw new DataHubException(what + " '" + mode + "' of content " + mapping.source()
          + " is not an octal permission — write it like 644, 755 or 2775 (setgid)");
    }
    return Integer.parseInt(mode, 8);
  }

  static String normalizeImagePath(String path) {
    String normalized = Path.of(path).normalize().toString().replace('\\', '/');
    if (normalized.contains("..")) {
      throw new DataHubException("path in image '" + path + "' climbs out of the root — use an absolute path");
    }
    return normalized.length() > 1 && normalized.endsWith("/") ? normalized.substring(0, normalized.length() - 1) : normalized;
  }

  private static void checkConflicts(List<PlannedLayer> layers) {
    Map<String, String> owners = new LinkedHashMap<>();
    for (PlannedLayer layer : layers) {
      for (ImageFile file : layer.files()) {
        if (file.isDirectory()) {
          continue; // directories may be shared by several layers
        }
        String previous = owners.putIfAbsent(file.pathInImage(), layer.name());
        if (previous != null) {
          throw new DataHubException("two content mappings write " + file.pathInImage() + " (" + previous + " and "
              + layer.name() + ") — change one <target> or exclude the file from one source");
        }
      }
    }
  }
}
