package dev.datahub;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A one-line message whose settings are {@link Fix} values: each {@code {}} of the template stands for the next
 * part, a {@link Fix} (worded by the front end) or other {@link Words}. {@link #toString()} is the neutral wording.
 */
public record Words(String template, List<Object> parts) {

  public Words {
    Objects.requireNonNull(template);
    parts = List.copyOf(parts);
    for (Object part : parts) {
      if (!(part instanceof Fix) && !(part instanceof Words)) {
        throw new IllegalArgumentException("a part is a Fix or Words, not " + part);
      }
    }
  }

  public static Words of(String template, Object... parts) {
    return new Words(template, List.of(parts));
  }

  /** The parts joined by {@code separator}, as one message. */
  public static Words join(String separator, List<Words> all) {
    return new Words(String.join(separator, all.stream().map(w -> "{}").toList()), List.copyOf(all));
  }

  /** The message in the words of {@code wording}. */
  public String in(Wording wording) {
    StringBuilder out = new StringBuilder();
    int from = 0;
    for (Object part : parts) {
      int at = template.indexOf("{}", from);
      if (at < 0) {
        break;
      }
      out.append(template, from, at).append(part instanceof Fix f ? wording.name(f) : ((Words) part).in(wording));
      from = at + 2;
    }
    return out.append(template.substring(from)).toString();
  }

  /** Every fix named in the message, nested ones too. */
  public List<Fix> fixes() {
    List<Fix> out = new ArrayList<>();
    for (Object part : parts) {
      if (part instanceof Fix f) {
        out.add(f);
      } else {
        out.addAll(((Words) part).fixes());
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return in(Wording.NEUTRAL);
  }
}
