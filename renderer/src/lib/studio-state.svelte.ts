import type { AppInfo, Notice, Project } from '../../../preload/contract';

/** The panels of an open project. */
export const PANELS = ['data', 'train', 'models', 'canvas'] as const;
/** One of `PANELS`. */
export type Panel = (typeof PANELS)[number];

/** The renderer's state: what main told it, plus which project and panel are shown. */
export class StudioState {
  projects = $state<Project[]>([]);
  currentId = $state<string | null>(null);
  panel = $state<Panel>('data');
  info = $state<AppInfo | null>(null);
  notices = $state<Notice[]>([]);
  error = $state<string | null>(null);
  loaded = $state(false);

  current = $derived(this.projects.find((p) => p.id === this.currentId) ?? null);

  /** Loads app info and projects, and follows project changes made anywhere (other windows, CLI). */
  async start(): Promise<void> {
    window.studio.onProjectsChanged((projects) => {
      this.projects = projects;
      if (this.currentId && !projects.some((p) => p.id === this.currentId)) this.currentId = null;
    });
    window.studio.onNotice((notice) => this.notices.push(notice));
    await this.run(async () => {
      const [info, projects] = await Promise.all([window.studio.getAppInfo(), window.studio.listProjects()]);
      this.info = info;
      this.notices = [...info.notices];
      this.projects = projects;
      const remembered = sessionStorage.getItem('ganstudio.current');
      if (remembered && projects.some((p) => p.id === remembered)) this.currentId = remembered;
    });
    this.loaded = true;
  }

  /** Creates a project and opens it; returns whether it worked. */
  async create(name: string): Promise<boolean> {
    return this.run(async () => {
      const project = await window.studio.createProject({ name });
      this.projects = [project, ...this.projects.filter((p) => p.id !== project.id)];
      await this.open(project.id);
    });
  }

  /** Makes a project the current one. */
  async open(id: string): Promise<boolean> {
    return this.run(async () => {
      const project = await window.studio.openProject({ id });
      this.currentId = project.id;
      sessionStorage.setItem('ganstudio.current', project.id);
    });
  }

  /** Renames a project; returns whether it worked. */
  async rename(id: string, name: string): Promise<boolean> {
    return this.run(async () => {
      const project = await window.studio.renameProject({ id, name });
      this.projects = this.projects.map((p) => (p.id === id ? project : p));
    });
  }

  /** Deletes a project and everything in it. */
  async remove(id: string): Promise<boolean> {
    return this.run(async () => {
      await window.studio.deleteProject({ id });
      this.projects = this.projects.filter((p) => p.id !== id);
      if (this.currentId === id) {
        this.currentId = null;
        sessionStorage.removeItem('ganstudio.current');
      }
    });
  }

  /** Runs a call, showing its error message instead of throwing. */
  async run(work: () => Promise<void>): Promise<boolean> {
    try {
      await work();
      this.error = null;
      return true;
    } catch (error) {
      this.error = (error as Error).message;
      return false;
    }
  }
}
