package dev.gatehouse.catalog;

/**
 * One thing wrong with a plans.yml: where it is and why it is wrong.
 *
 * @param file the file as configured (a path, or {@code classpath:...})
 * @param path where in the document, dotted from the root ({@code plans.pro.limits.api_calls.limit},
 *     {@code plans.pro.features[2]}); empty for the document as a whole
 * @param line 1-based line of the offending node, 0 when unknown
 * @param column 1-based column of the offending node, 0 when unknown
 * @param reason what is wrong, for a person
 */
record CatalogError(String file, String path, int line, int column, String reason) {

    @Override
    public String toString() {
        String where = path.isEmpty() ? file : file + " " + path;
        return line > 0 ? where + " (line " + line + ", column " + column + "): " + reason : where + ": " + reason;
    }
}
