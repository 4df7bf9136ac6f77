package dev.datahub.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.MapperFeature;
import dev.datahub.DataHubException;
import dev.datahub.Fix;
import dev.datahub.image.ImageFiles.PlannedLayer;
import dev.datahub.image.ImageLayer.ImageFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What an image holds, in the terms a reviewer asks about: the base image (by digest), every Python distribution the
 * image's Python sees (name → version: those the build installs over those the base provides), and per content mapping
 * a digest of its layer's files (and, while the image has few content files, a hash per file). Written into
 * {@code image.json}, into the image itself as the label {@value #LABEL}, and carried by the deployment record, so two
 * images can be compared offline ({@code dev.datahub.release.BundleDiff}).
 *
 * @param base the base image as configured ({@code scratch} for none)
 * @param baseDigest the base image's manifest digest, {@code scratch} for none
 * @param packages normalized distribution name → version, as {@code importlib.metadata} in the image reports it
 * @param installed the names of {@code packages} the build installed (the rest come from the base)
 * @param mappings one entry per content mapping, in layer order
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageContents(String base, String baseDigest, SortedMap<String, String> packages, List<String> installed,
    List<MappedContent> mappings) {

  /** The image label that carries these contents as compact JSON. */
  public static final String LABEL = "dev.datahub.image.contents";
  /** Above this many content files in all, mappings carry only their digest (records and labels stay small). */
  static final int MAX_LISTED_FILES = 300;

  private static final ObjectMapper COMPACT = JsonMapper.builder()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY).enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  public ImageContents {
    packages = packages == null ? new TreeMap<>() : new TreeMap<>(packages);
    installed = installed == null ? List.of() : installed.stream().sorted().distinct().toList();
    mappings = mappings == null ? List.of() : List.copyOf(mappings);
  }

  /**
   * One content mapping's layer.
   *
   * @param target the mapping's target path in the image
   * @param digest {@code sha256:} over every file's path, mode, owner and content hash in the layer
   * @param files path relative to {@code target} → {@code sha256:} of its content ({@code dir} for a directory); null
   *     when the image has more than {@value #MAX_LISTED_FILES} content files
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MappedContent(String target, String digest, SortedMap<String, String> files) {
    public MappedContent {
      files = files == null ? null : new TreeMap<>(files);
    }
  }

  /**
   * The contents of the image {@code spec} describes: its content mappings read from the project (checked as the build
   * checks them), with the base and the Python distributions given.
   */
  public static ImageContents of(ImageSpec spec, String baseDigest, Map<String, String> packages, List<String> installed) {
    List<PlannedLayer> layers = ImageFiles.plan(spec.content(), List.of(), spec.projectDirectory());
    int files = layers.stream().mapToInt(l -> l.files().size()).sum();
    List<MappedContent> mappings = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      mappings.add(mapped(ImageFiles.normalizeImagePath(spec.content().get(i).target()), layers.get(i),
          files <= MAX_LISTED_FILES));
    }
    return new ImageContents(spec.from(), baseDigest, new TreeMap<>(packages), installed, mappings);
  }

  private static MappedContent mapped(String target, PlannedLayer layer, boolean listFiles) {
    MessageDigest sha = sha256();
    SortedMap<String, String> files = new TreeMap<>();
    for (ImageFile file : layer.files()) {
      String path = file.pathInImage();
      if (!path.equals(target) && !path.startsWith(target.equals("/") ? "/" : target + "/")) {
        continue; // the ancestors the layer carries: the base's attributes, not the mapping's content
      }
      boolean dir = Files.isDirectory(file.source(), LinkOption.NOFOLLOW_LINKS);
      String hash = dir ? "dir" : ImageInputs.fileSha256(file.source());
      String owner = file.owner() != null ? file.owner() : layer.owner();
      sha.update((path + " " + Integer.toOctalString(file.mode()) + " " + owner + " " + hash + "\n")
          .getBytes(StandardCharsets.UTF_8));
      String relative = path.equals(target) ? "." : path.substring(target.equals("/") ? 1 : target.length() + 1);
      if (!relative.equals(".")) {
        files.put(relative, dir ? "dir" : "sha256:" + hash);
      }
    }
    return new MappedContent(target, "sha256:" + HexFormat.of().formatHex(sha.digest()), listFiles ? files : null);
  }

  /** The compact JSON of the label. */
  public String toLabel() {
    try {
      return COMPACT.writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The contents a label carries; empty when the label is absent (an image built before the plugin recorded them). */
  public static Optional<ImageContents> fromLabels(Map<String, String> labels) {
    String text = labels == null ? null : labels.get(LABEL);
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(COMPACT.readValue(text, ImageContents.class));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new DataHubException("the image label " + LABEL + " is not valid JSON (" + e.getOriginalMessage()
          + ") — rebuild the image with {}", Fix.goal("build-image"));
    }
  }

  /**
   * Reads the contents of {@code repository@reference} from its config's label (two registry requests: the manifest and
   * the config blob; a multi-platform index is resolved to linux/amd64). Empty when the image or the label is absent.
   */
  public static Optional<ImageContents> readFromRegistry(RegistryApi registry, String repository, String reference)
      throws IOException {
    Optional<RegistryApi.Manifest> top = registry.manifest(repository, reference);
    if (top.isEmpty()) {
      return Optional.empty();
    }
    JsonNode root = COMPACT.readTree(top.get().body());
    byte[] body = top.get().body();
    if (root.has("manifests")) {
      String platform = null;
      for (JsonNode m : root.get("manifests")) {
        if ("amd64".equals(m.path("platform").path("architecture").asText())) {
          platform = m.path("digest").asText();
        }
      }
      if (platform == null) {
        return Optional.empty();
      }
      body = registry.manifest(repository, platform).orElseThrow().body();
    }
    ManifestLayers layers = ManifestLayers.parse(body);
    JsonNode config;
    try (var in = registry.blob(repository, layers.config().digest())) {
      config = COMPACT.readTree(in);
    }
    JsonNode labels = config.path("config").path("Labels");
    if (!labels.isObject() || !labels.has(LABEL)) {
      return Optional.empty();
    }
    return fromLabels(Map.of(LABEL, labels.get(LABEL).asText()));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
