/** The population CSV: the study's header exactly, grams, bytes, quoting, empty where unknown. */
import { parse } from 'csv-parse/sync';
import {
  populationCsv,
  STUDY_COLUMNS,
  studyRow,
  textCell
} from '../../../../kernel/hf/population-csv';

const HEADER =
  'modelId,datasets,datasets_size,co2_eq_emissions,co2_reported,source,training_type,' +
  'geographical_location,environment,performance_metrics,performance_score,downloads,likes,' +
  'library_name,domain,size,created_at,size_efficency,datasets_size_efficency,auto';

describe('populationCsv', () => {
  test('has the study header and reads back with csv-parse', () => {
    const csv = populationCsv([
      {
        modelId: 'acme/one',
        co2: {
          emissionsG: 1500,
          source: 'paper, "quoted"',
          location: 'Quebec, Canada',
          hardware: '8 x V100',
          trainingType: 'fine-tuning',
          datasets: ["it's", 'glue'],
          libraryName: 'transformers'
        },
        sizeBytes: 3000,
        downloads: 12,
        likes: 0,
        createdAt: '2022-01-05'
      },
      { modelId: 'acme/two', co2: { emissionsG: 0, source: 'AutoTrain' }, sizeBytes: 10 }
    ]);
    expect(csv.split('\n')[0]).toBe(HEADER);
    expect(STUDY_COLUMNS.join(',')).toBe(HEADER);
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows[0]).toEqual({
      modelId: 'acme/one',
      datasets: "['it\\'s', 'glue']",
      datasets_size: '',
      co2_eq_emissions: '1500',
      co2_reported: '1',
      source: 'paper, "quoted"',
      training_type: 'fine-tuning',
      geographical_location: 'Quebec, Canada',
      environment: '8 x V100',
      performance_metrics: '',
      performance_score: '',
      downloads: '12',
      likes: '0',
      library_name: "['transformers']",
      domain: '',
      size: '3000',
      created_at: '2022-01-05',
      size_efficency: '2',
      datasets_size_efficency: '',
      auto: 'False'
    });
    // No efficiency per gram of nothing; AutoTrain's flag from the source.
    expect(rows[1]).toMatchObject({
      co2_eq_emissions: '0',
      size: '10',
      size_efficency: '',
      auto: 'True'
    });
  });

  test('what the card does not give stays empty', () => {
    const row = studyRow({ modelId: 'm', co2: { emissionsG: 5 } });
    const filled = Object.entries(row).filter(([, v]) => v !== '');
    expect(filled).toEqual([
      ['modelId', 'm'],
      ['co2_eq_emissions', '5'],
      ['co2_reported', '1']
    ]);
  });

  test('card text that a spreadsheet would run as a formula is kept as text', () => {
    expect(textCell('=HYPERLINK("http://x")')).toBe('\'=HYPERLINK("http://x")');
    for (const lead of ['+', '-', '@', '\t']) expect(textCell(`${lead}1`)).toBe(`'${lead}1`);
    expect(textCell('CodeCarbon')).toBe('CodeCarbon');
    expect(textCell(undefined)).toBe('');
  });

  test('no models: the header alone', () => {
    const rows = parse(populationCsv([]), { columns: true }) as unknown[];
    expect(rows).toEqual([]);
    expect(populationCsv([]).trim()).toBe(HEADER);
  });
});
