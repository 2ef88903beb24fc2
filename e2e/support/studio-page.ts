import { expect, type Locator, type Page } from '@playwright/test';

/** The studio shell as a person sees it: sidebar, project header, panels, footer. */
export class StudioPage {
  readonly newName: Locator;
  readonly createButton: Locator;
  readonly items: Locator;
  readonly title: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.newName = page.getByTestId('projects.new-name');
    this.createButton = page.getByTestId('projects.create');
    this.items = page.getByTestId('projects.item');
    this.title = page.getByTestId('project.title');
    this.error = page.getByTestId('error');
  }

  /** Waits until app info and the project list have loaded. */
  async ready(): Promise<void> {
    await expect(this.page.getByTestId('footer.training')).toBeVisible();
  }

  async createProject(name: string): Promise<void> {
    await this.newName.fill(name);
    await this.createButton.click();
    await expect(this.title).toHaveText(name);
  }

  async renameCurrent(name: string): Promise<void> {
    await this.page.getByTestId('project.rename').click();
    await this.page.getByTestId('project.rename-input').fill(name);
    await this.page.getByTestId('project.rename-save').click();
  }

  async deleteCurrent(): Promise<void> {
    await this.page.getByTestId('project.delete').click();
    await this.page.getByTestId('confirm.ok').click();
  }

  async projectNames(): Promise<string[]> {
    return this.items.allTextContents().then((names) => names.map((n) => n.trim()));
  }
}
