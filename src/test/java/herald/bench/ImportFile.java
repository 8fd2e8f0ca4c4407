package herald.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The contact import benchmark's file and its check ({@code bench/contacts-import.sh}).
 *
 * <ul>
 *   <li>{@code generate <csv> <rows> <expected>}: writes a CSV of {@code rows} contacts (about 100
 *       bytes a row: E.164 number, names, e-mail, two custom columns), one row in a hundred bad in
 *       turn: a number too short to be one, no number, or the number of an earlier row; the bad
 *       rows' numbers (the header being row 1) and what is wrong go to {@code expected}.
 *   <li>{@code check <errors.csv> <expected>}: PASS when errors.csv names exactly the bad rows,
 *       each with the column {@code phone}.
 * </ul>
 */
public final class ImportFile {
  private static final String[] FIRST = {"Alice", "Bruno", "Chloé", "David", "Emma", "Farid"};
  private static final String[] LAST = {"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit"};
  private static final String[] CITY = {
    "Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Lille"
  };

  private ImportFile() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 4 && args[0].equals("generate")) {
      generate(Path.of(args[1]), Integer.parseInt(args[2]), Path.of(args[3]));
    } else if (args.length == 3 && args[0].equals("check")) {
      System.exit(check(Path.of(args[1]), Path.of(args[2])) ? 0 : 1);
    } else {
      System.err.println(
          "usage: ImportFile generate <csv> <rows> <expected> | check <errors.csv> <expected>");
      System.exit(2);
    }
  }

  private static void generate(Path csv, int rows, Path expected) throws IOException {
    Random random = new Random(42);
    List<String> bad = new ArrayList<>();
    int[] kinds = new int[3];
    try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      out.write("phone,first_name,last_name,email,city,customer_ref\n");
      for (int i = 0; i < rows; i++) {
        long row = i + 2;
        String first = FIRST[random.nextInt(FIRST.length)];
        String last = LAST[random.nextInt(LAST.length)];
        String phone = String.format("+33612%06d", i);
        if (i % 100 == 99) {
          int kind = (i / 100) % 3;
          kinds[kind]++;
          phone =
              switch (kind) {
                case 0 -> "+3361234"; // too short
                case 1 -> ""; // missing
                default -> String.format("+33612%06d", i - 1 - random.nextInt(50)); // duplicate
              };
          bad.add(row + "," + (kind == 0 ? "invalid" : kind == 1 ? "missing" : "duplicate"));
        }
        out.write(
            phone
                + ','
                + first
                + ','
                + last
                + ','
                + first.toLowerCase()
                + '.'
                + last.toLowerCase()
                + i
                + "@mail.example.com,"
                + CITY[random.nextInt(CITY.length)]
                + ",REF-"
                + String.format("%08d", random.nextInt(100_000_000))
                + "-"
                + Long.toHexString(random.nextLong())
                + '\n');
      }
    }
    Files.write(expected, bad, StandardCharsets.UTF_8);
    System.out.printf(
        "generated %,d rows (%,d bytes): %,d bad (%,d invalid numbers, %,d missing, %,d duplicates)%n",
        rows, Files.size(csv), bad.size(), kinds[0], kinds[1], kinds[2]);
  }

  private static boolean check(Path errorsCsv, Path expected) throws IOException {
    Set<Long> want;
    try (Stream<String> lines = Files.lines(expected)) {
      want =
          lines
              .map(l -> Long.parseLong(l.split(",")[0]))
              .collect(Collectors.toCollection(TreeSet::new));
    }
    Set<Long> got = new TreeSet<>();
    long wrongColumn = 0;
    try (Stream<String> lines = Files.lines(errorsCsv)) {
      for (String line : (Iterable<String>) lines.skip(1)::iterator) {
        String[] cells = line.split(",", 4);
        got.add(Long.parseLong(cells[0]));
        if (!cells[2].equals("phone") || !cells[0].equals(cells[1])) {
          wrongColumn++;
        }
      }
    }
    Set<Long> missing = new TreeSet<>(want);
    missing.removeAll(got);
    Set<Long> extra = new TreeSet<>(got);
    extra.removeAll(want);
    boolean pass = missing.isEmpty() && extra.isEmpty() && wrongColumn == 0;
    System.out.printf(
        "errors.csv check: %s (%,d bad rows expected, %,d reported, %,d missing, %,d unexpected,"
            + " %,d not on column phone or with line != row)%n",
        pass ? "PASS" : "FAIL", want.size(), got.size(), missing.size(), extra.size(), wrongColumn);
    return pass;
  }
}
