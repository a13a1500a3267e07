/**
 * Where files come in: drag and drop (files, several files, folders, .zip/.gz)
 * or the two pickers (files; a folder via webkitdirectory). Folders keep their
 * relative paths so detection sees "ml-25m/ratings.csv".
 */
import { useRef, useState, type DragEvent, type JSX } from 'react';
import type { WorkerFile } from '../../workers/dataClient';
import { filesToWorkerFiles } from '../../workers/dataClient';

/** Walks a dropped directory; readEntries returns batches, so it is called until empty. */
async function entryFiles(entry: FileSystemEntry): Promise<WorkerFile[]> {
  if (entry.isFile) {
    const f = await new Promise<File>((ok, err) => (entry as FileSystemFileEntry).file(ok, err));
    return [{ name: entry.fullPath.replace(/^\//, '') || f.name, blob: f }];
  }
  if (!entry.isDirectory) return [];
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const out: WorkerFile[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((ok, err) => reader.readEntries(ok, err));
    if (batch.length === 0) break;
    for (const e of batch) out.push(...(await entryFiles(e)));
  }
  return out;
}

async function droppedFiles(dt: DataTransfer): Promise<WorkerFile[]> {
  const entries = Array.from(dt.items)
    .map(it => (typeof it.webkitGetAsEntry === 'function' ? it.webkitGetAsEntry() : null))
    .filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) return filesToWorkerFiles(Array.from(dt.files));
  const lists = await Promise.all(entries.map(entryFiles));
  return lists.flat();
}

export function DropZone(props: { disabled: boolean; onFiles(files: WorkerFile[]): void }): JSX.Element {
  const [over, setOver] = useState(false);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const take = (files: WorkerFile[]) => {
    if (files.length > 0) props.onFiles(files);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (props.disabled) return;
    void droppedFiles(e.dataTransfer).then(take);
  };
  return (
    <div
      data-testid="data-dropzone"
      onDragOver={e => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      style={{ border: `2px dashed ${over ? '#3a6ea5' : '#aab'}`, borderRadius: 8, padding: '16px 12px', textAlign: 'center', background: over ? '#eef4fb' : undefined }}
    >
      <p style={{ margin: '0 0 8px' }}>Drop files, a folder, or a .zip / .gz here</p>
      <p className="muted" style={{ margin: '0 0 8px' }}>MovieLens (100K, 1M/10M, 20M/25M/32M), RecBole atomic files, Amazon reviews JSON lines, train/val/test files, or any CSV/TSV</p>
      <div className="controls" style={{ justifyContent: 'center' }}>
        <button type="button" disabled={props.disabled} onClick={() => filesInput.current?.click()}>Choose files…</button>
        <button type="button" disabled={props.disabled} onClick={() => folderInput.current?.click()}>Choose a folder…</button>
      </div>
      <input
        ref={filesInput}
        data-testid="data-file-input"
        type="file"
        multiple
        hidden
        onChange={e => {
          take(filesToWorkerFiles(Array.from(e.currentTarget.files ?? [])));
          e.currentTarget.value = '';
        }}
      />
      <input
        ref={folderInput}
        data-testid="data-folder-input"
        type="file"
        multiple
        hidden
        {...({ webkitdirectory: '', directory: '' } as Record<string, string>)}
        onChange={e => {
          take(filesToWorkerFiles(Array.from(e.currentTarget.files ?? [])));
          e.currentTarget.value = '';
        }}
      />
    </div>
  );
}
