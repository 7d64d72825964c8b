package countapp.cli;

import java.io.PrintWriter;
import java.util.List;

/** Left-aligned text columns, two spaces apart, sized to their widest cell; ANSI colour codes take no width. */
final class TextTable {
    private TextTable() {}

    static void print(PrintWriter out, List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        measure(widths, header);
        rows.forEach(r -> measure(widths, r));
        line(out, widths, header);
        rows.forEach(r -> line(out, widths, r));
        out.flush();
    }

    private static void measure(int[] widths, List<String> row) {
        for (int i = 0; i < row.size(); i++) {
            widths[i] = Math.max(widths[i], visible(row.get(i)));
        }
    }

    private static void line(PrintWriter out, int[] widths, List<String> row) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < row.size(); i++) {
            String cell = row.get(i);
            sb.append(cell);
            if (i < row.size() - 1) {
                sb.append(" ".repeat(widths[i] - visible(cell) + 2));
            }
        }
        out.println(sb);
    }

    static int visible(String s) {
        String plain = s.replaceAll("\u001b\\[[0-9;]*m", "");
        return plain.codePointCount(0, plain.length());
    }
}
