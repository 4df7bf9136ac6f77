package dev.datahub.python;

import dev.datahub.DataHubException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A flat local directory of wheels (pip's {@code --find-links}); hashes are computed, not trusted. */
public final class FindLinksDirectory implements PackageSource {

  private final Path dir;

  public FindLinksDirectory(Path dir) {
    this.dir = dir;
    if (!Files.isDirectory(dir)) {
      throw new DataHubException("findLinks directory " + dir + " does not exist — create it and put the wheels "
          + "there (e.g. 'pip download --only-binary=:all: -d " + dir + " -r requirements.txt'), or remove <findLinks>");
    }
  }

  /** A file of the directory with the names it is matched by, worked out once per file (not once per package). */
  private record Listed(String name, Path path, String wheelProject, String normalizedName) {}

  /** The directory read once per build: a lock names every package, and each would otherwise list and parse it all. */
  private List<Listed> listing;

  @Override
  public List<IndexFile> files(String normalizedName) {
    List<IndexFile> out = new ArrayList<>();
    for (Listed f : listing()) {
      boolean wheelOfProject = normalizedName.equals(f.wheelProject());
      boolean maybeSdist = f.name().indexOf('-') > 0 && f.normalizedName().startsWith(normalizedName + "-");
      if (wheelOfProject || maybeSdist && !f.name().endsWith(".whl")) {
        // The hash is computed lazily by the downloader: listing must stay cheap for large directories.
        out.add(new IndexFile(f.name(), null, f.path(), null, describe()));
      }
    }
    return out;
  }

  private List<Listed> listing() {
    if (listing == null) {
      List<Listed> files = new ArrayList<>();
      try (Stream<Path> list = Files.list(dir)) {
        for (Path p : list.sorted().toList()) {
          if (Files.isRegularFile(p)) {
            String name = p.getFileName().toString();
            files.add(new Listed(name, p, WheelFileName.parse(name).map(WheelFileName::normalizedName).orElse(null),
                PackageName.normalize(name)));
          }
        }
      } catch (IOException e) {
        throw new DataHubException("cannot list findLinks directory " + dir + ": " + e.getMessage());
      }
      listing = files;
    }
    return listing;
  }

  @Override
  public String describe() {
    return "findLinks " + dir;
  }
}
