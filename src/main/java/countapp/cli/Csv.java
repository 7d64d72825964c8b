package countapp.cli;

/** RFC 4180 fields: what a spreadsheet or a CSV parser reads back as the same text. */
final class Csv {
    /** RFC 4180 ends every record with CRLF, whatever the platform. */
    static final String LINE_END = "\r\n";

    private Csv() {}

    /**
     * The field as written: as is, or in double quotes (inner quotes doubled) when it holds a comma, a quote,
     * CR or LF, which would otherwise split or end the record. Tenants are free text, so any of these occur.
     */
    static String field(String value) {
        boolean quote = false;
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
