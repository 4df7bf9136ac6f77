package dev.datahub.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import dev.datahub.DataHubException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads files of a base image as the container would see them (upper layers win, whiteouts
 * remove), straight from the registry. Used to learn which Python distributions the base already
 * has. Results are cached by base manifest digest, so a base is streamed once per question.
 */
public final class BaseImageLayers implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final RegistryApi registry;
  private final String repository;
  private final String manifestDigest;
  private final ManifestLayers manifest;
  private final Path cacheDirectory;
  private String referenceDigest;

  private BaseImageLayers(RegistryApi registry, String repository, String manifestDigest, ManifestLayers manifest,
      Path cacheDirectory) {
    this.registry = registry;
    this.repository = repository;
    this.manifestDigest = manifestDigest;
    this.manifest = manifest;
    this.cacheDirectory = cacheDirectory;
  }

  /** Opens {@code from} (a tag or digest reference), choosing linux/amd64 from a multi-platform index. */
  public static BaseImageLayers open(String from, Set<String> insecureRegistries, RegistryCredential.Lookup credentials,
      Path cacheDirectory) {
    ImageReference reference;
    try {
      reference = ImageReference.parse(from);
    } catch (InvalidImageReferenceException e) {
      throw new DataHubException("<from> '" + from + "' is not a valid image reference — write it as"
          + " registry/repository[:tag][@sha256:digest]");
    }
    RegistryApi registry = RegistryApi.connect(reference.getRegistry(), insecureRegistries,
        credentials.forRegistry(reference.getRegistry()), TIMEOUT);
    String repository = reference.getRepository();
    try {
      RegistryApi.Manifest top = registry.manifest(repository, reference.getQualifier()).orElseThrow(
          () -> new DataHubException("base image " + from + " was not found — check <from>"));
      JsonNode root = JSON.readTree(top.body());
      RegistryApi.Manifest image = top;
      if (root.has("manifests")) {
        String platformDigest = null;
        for (JsonNode m : root.get("manifests")) {
          JsonNode platform = m.path("platform");
          if ("amd64".equals(platform.path("architecture").asText()) && "linux".equals(platform.path("os").asText())) {
            platformDigest = m.get("digest").asText();
            break;
          }
        }
        if (platformDigest == null) {
          throw new DataHubException("base image " + from + " has no linux/amd64 image — choose a base built for it");
        }
        image = registry.manifest(repository, platformDigest).orElseThrow();
      }
      ManifestLayers layers = ManifestLayers.parse(image.body());
      String digest = image.digest() != null ? image.digest() : sha256(image.body());
      BaseImageLayers opened = new BaseImageLayers(registry, repository, digest, layers, cacheDirectory);
      opened.referenceDigest = top.digest() != null ? top.digest() : sha256(top.body());
      return opened;
    } catch (IOException | RuntimeException e) {
      registry.close();
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new DataHubException("cannot read base image " + from + ": " + e.getMessage()
          + " — check the registry address and your network");
    }
  }

  /** Stops the registry client; {@link #scan} reads blobs until then. */
  @Override
  public void close() {
    registry.close();
  }

  /** The digest {@code from} names (a multi-platform index's own digest, as the build pins the base by). */
  public String digest() {
    return referenceDigest;
  }

  public int layerCount() {
    return manifest.layers().size();
  }

  /** Mode (with setgid/sticky bits) and owner ({@code uid:gid}) of a directory in the base image. */
  public record Directory(int mode, String owner) {}

  /**
   * What {@link #scan} found, as the container sees it: kept file contents, directory attributes,
   * and other entries that were asked for by name (path → symlink target; {@code ""} for a file).
   */
  public record Contents(Map<String, String> files, Map<String, Directory> directories, Map<String, String> entries) {
    public Contents {
      files = new TreeMap<>(files == null ? Map.of() : files);
      directories = new TreeMap<>(directories == null ? Map.of() : directories);
      entries = new TreeMap<>(entries == null ? Map.of() : entries);
    }

    public Contents(Map<String, String> files, Map<String, Directory> directories) {
      this(files, directories, Map.of());
    }
  }

  /** Pass as the directory filter of {@link #scan} to keep every directory (then {@link #directories} reuses it). */
  public static final Predicate<String> ALL_DIRECTORIES = p -> true;

  /**
   * Reads the text of every regular file whose absolute path passes {@code files}, and mode and
   * owner of every directory that passes {@code directories}. {@code cacheKey} names the two filters
   * for the cache (same key, same filters).
   */
  public Contents scan(String cacheKey, Predicate<String> files, Predicate<String> directories) {
    return scan(cacheKey, files, directories, p -> false, (p, bytes) -> new String(bytes, StandardCharsets.UTF_8));
  }

  /**
   * Like {@link #scan(String, Predicate, Predicate)}, and also records every file or symlink whose
   * path passes {@code entries}; {@code keep} turns a wanted file's bytes into what is kept of it
   * (e.g. a version string out of a binary). {@code cacheKey} must name all filters.
   */
  public Contents scan(String cacheKey, Predicate<String> files, Predicate<String> directories, Predicate<String> entries,
      BiFunction<String, byte[], String> keep) {
    Path cached = cacheFile(cacheKey);
    if (cached != null && Files.isRegularFile(cached)) {
      try {
        return JSON.readValue(cached.toFile(), Contents.class);
      } catch (IOException e) {
        // a damaged cache entry is read again from the registry
      }
    }
    NavigableMap<String, String> texts = new TreeMap<>();
    NavigableMap<String, Directory> dirs = new TreeMap<>();
    NavigableMap<String, String> names = new TreeMap<>();
    try {
      for (ManifestLayers.Blob layer : manifest.layers()) {
        try (InputStream blob = registry.blob(repository, layer.digest())) {
          apply(blob, layer.mediaType(), files, directories, entries, keep, texts, dirs, names);
        }
      }
      Contents contents = new Contents(texts, dirs, names);
      write(cached, contents);
      if (directories == ALL_DIRECTORIES) {
        write(cacheFile(DIRECTORIES_KEY), new Contents(Map.of(), dirs));
      }
      return contents;
    } catch (IOException e) {
      throw new DataHubException("cannot read the layers of the base image: " + e.getMessage()
          + " — check the registry and your network");
    }
  }

  private static final String DIRECTORIES_KEY = "all-directories";

  /**
   * Every directory of the base image with its mode and owner. Cached per base digest, and shared
   * with any earlier {@link #scan} that asked for {@link #ALL_DIRECTORIES}, so the base is streamed once.
   */
  public Map<String, Directory> directories() {
    return scan(DIRECTORIES_KEY, p -> false, ALL_DIRECTORIES).directories();
  }

  private Path cacheFile(String cacheKey) {
    return cacheDirectory == null ? null
        : cacheDirectory.resolve("base-files").resolve(manifestDigest.replace(':', '-') + "-" + sha256(
            cacheKey.getBytes(StandardCharsets.UTF_8)).substring(7, 23) + ".json");
  }

  private static void write(Path cached, Contents contents) throws IOException {
    if (cached == null) {
      return;
    }
    Files.createDirectories(cached.getParent());
    Path temp = Files.createTempFile(cached.getParent(), "base", ".tmp");
    JSON.writeValue(temp.toFile(), contents);
    try {
      // parallel builds of one base write the same entry: a rename replaces it atomically (a plain
      // REPLACE_EXISTING move deletes first and races)
      Files.move(temp, cached, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.AtomicMoveNotSupportedException e) {
      Files.move(temp, cached, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void apply(InputStream blob, String mediaType, Predicate<String> wantedFiles,
      Predicate<String> wantedDirs, Predicate<String> wantedEntries, BiFunction<String, byte[], String> keep,
      NavigableMap<String, String> files, NavigableMap<String, Directory> dirs, NavigableMap<String, String> entries)
      throws IOException {
    if (mediaType.contains("zstd")) {
      throw new DataHubException("base image layer compressed with zstd is not supported — use a gzip-compressed base");
    }
    // Docker: …diff.tar.gzip; OCI: …tar+gzip or plain …tar
    InputStream data = mediaType.contains("gzip") ? new GZIPInputStream(blob, 64 * 1024) : blob;
    try (TarArchiveInputStream tar = new TarArchiveInputStream(data)) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        String path = "/" + entry.getName().replaceFirst("^\\./", "").replaceFirst("^/", "").replaceFirst("/$", "");
        String name = path.substring(path.lastIndexOf('/') + 1);
        String parent = path.substring(0, path.lastIndexOf('/'));
        if (name.equals(".wh..wh..opq")) {
          for (NavigableMap<String, ?> m : List.of(files, dirs, entries)) {
            m.subMap(parent + "/", parent + "0").clear(); // '0' follows '/': every path under parent
          }
          continue;
        }
        if (name.startsWith(".wh.")) {
          String removed = parent + "/" + name.substring(4);
          for (NavigableMap<String, ?> m : List.of(files, dirs, entries)) {
            m.remove(removed);
            m.subMap(removed + "/", removed + "0").clear();
          }
          continue;
        }
        // an entry replaces whatever the layers below had at that path
        if (!entry.isDirectory()) {
          dirs.remove(path);
        }
        files.remove(path);
        entries.remove(path);
        boolean regular = entry.isFile() && !entry.isSymbolicLink() && !entry.isLink(); // isFile() is true for links, too
        if (regular && wantedFiles.test(path)) {
          files.put(path, keep.apply(path, tar.readAllBytes()));
        } else if (entry.isDirectory() && wantedDirs.test(path)) {
          dirs.put(path, new Directory(entry.getMode() & 07777, entry.getLongUserId() + ":" + entry.getLongGroupId()));
        }
        if (!entry.isDirectory() && wantedEntries.test(path)) {
          entries.put(path, entry.isSymbolicLink() ? entry.getLinkName() : "");
        }
      }
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
