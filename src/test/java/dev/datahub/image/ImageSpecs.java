package dev.datahub.image;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A mutable builder of {@link ImageSpec} for tests. */
final class ImageSpecs {
  String from = SingleUserImage.SCRATCH;
  String to;
  List<String> tags = new ArrayList<>();
  String format = "Docker";
  List<ContentMapping> content = new ArrayList<>();
  List<ImageLayer> extraLayers = new ArrayList<>();
  Map<String, String> environment = new LinkedHashMap<>();
  Map<String, String> labels = new LinkedHashMap<>();
  String user;
  String workingDirectory;
  List<String> entrypoint;
  List<String> cmd;
  boolean push = true;
  boolean force;
  Set<String> insecure = Set.of();
  Path project;
  Path output;
  Path cache;

  ImageSpecs(Path project) {
    this.project = project;
    this.output = project.resolve("target/datahub");
    this.cache = project.resolve("target/jib-cache");
  }

  ImageSpecs content(String source, String target) {
    content.add(new ContentMapping(Path.of(source), target, null, null, null));
    return this;
  }

  ImageSpec build() {
    return new ImageSpec(from, to, tags, format, content, extraLayers, environment, labels, user, workingDirectory,
        entrypoint, cmd, push, force, insecure, project, output, cache, "test");
  }
}
