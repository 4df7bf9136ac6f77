package dev.datahub.image;

import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.lang.reflect.Constructor;

/**
 * Jib's {@link FilePermissions} with the setuid, setgid and sticky bits kept. Its public factories
 * accept only the 0777 bits, but its layer writer ORs whatever bits it holds into the tar mode
 * ({@code (mode & ~0777) | bits}), so a value made through its (package-private) constructor writes
 * e.g. {@code 2775} as it is. Layers read back from the registry prove it (SingleUserImageTest);
 * should a Jib upgrade change that, the failure is this class's one clear error, not a silent 775.
 */
final class JibPermissions {

  private static final Constructor<FilePermissions> WITH_ALL_BITS = allBitsConstructor();

  private static final FilePermissions[] PLAIN = new FilePermissions[01000];

  private JibPermissions() {}

  static FilePermissions of(int mode) {
    if ((mode & ~07777) != 0 || mode < 0) {
      throw new IllegalArgumentException("not a permission mode: " + Integer.toOctalString(mode));
    }
    if ((mode & ~0777) == 0) {
      FilePermissions cached = PLAIN[mode];
      if (cached == null) { // a format and a regex per file otherwise; the values are immutable, a race only repeats one
        cached = FilePermissions.fromOctalString(String.format("%03o", mode));
        PLAIN[mode] = cached;
      }
      return cached;
    }
    if (WITH_ALL_BITS == null) {
      throw new dev.datahub.DataHubException("this Jib version cannot write mode " + Integer.toOctalString(mode)
          + " (setuid/setgid/sticky) — report it; as a workaround use a 3-digit mode");
    }
    try {
      return WITH_ALL_BITS.newInstance(mode);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create Jib permissions " + Integer.toOctalString(mode), e);
    }
  }

  private static Constructor<FilePermissions> allBitsConstructor() {
    try {
      Constructor<FilePermissions> c = FilePermissions.class.getDeclaredConstructor(int.class);
      c.setAccessible(true);
      return c;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
