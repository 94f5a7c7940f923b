export { createCsvConnector, type CsvConnectorContext } from './csv-connector';
export { filePathProblem, resolveDataFile } from './file-path';
export { READ_ONLY_MESSAGE, ACCOUNT_OBJECT_CLASS } from './errors';
