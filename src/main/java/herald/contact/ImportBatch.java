package herald.contact;

import herald.job.JobError;
import java.util.List;

/**
 * One batch of an import as the reader hands it to the writer: the valid rows column by column,
 * ready to be bound as arrays, the rows' group memberships by name, and what was refused.
 *
 * @param customFields each row's custom fields as JSON text, or null when it has none
 * @param memberPhones with {@code memberGroups}: (phone, group name) pairs from the groups column
 * @param rowsRead rows read for this batch, valid or not
 * @param failed rows refused as invalid (each with at least one error)
 * @param duplicates rows left out because an earlier row has the same number (each with an error)
 * @param bytesRead bytes of the file read so far
 * @param last true when the file has no more rows
 */
record ImportBatch(
    java.util.UUID[] ids,
    String[] phones,
    String[] names,
    String[] firstNames,
    String[] lastNames,
    String[] emails,
    String[] statuses,
    String[] timezones,
    String[] languages,
    String[] customFields,
    String[] memberPhones,
    String[] memberGroups,
    List<JobError> errors,
    long rowsRead,
    long failed,
    long duplicates,
    long bytesRead,
    boolean last) {

  int size() {
    return phones.length;
  }
}
