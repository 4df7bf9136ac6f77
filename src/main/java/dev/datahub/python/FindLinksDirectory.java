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

  @Override
  public List<IndexFile> files(String normalizedName) {
    List<IndexFile> out = new ArrayList<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.sorted().toList()) {
        String name = p.getFileName().toString();
        int dash = name.indexOf('-');
        boolean wheelOfProject = WheelFileName.parse(name).map(w -> w.normalizedName().equals(normalizedName)).orElse(false);
        boolean maybeSdist = dash > 0 && PackageName.normalize(name).startsWith(normalizedName + "-");
        if (Files.isRegularFile(p) && (wheelOfProject || maybeSdist && !name.endsWith(".whl"))) {
          // The hash is computed lazily by the downloader: listing must stay cheap for large directories.
          out.add(new IndexFile(name, null, p, null, describe()));
        }
      }
    } catch (IOException e) {
      throw new DataHubException("cannot list findLinks directory " + dir + ": " + e.getMessage());
    }
    return out;
  }

  @Override
  public String describe() {
    return "findLinks " + dir;
  }
}
