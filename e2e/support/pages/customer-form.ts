import { expect, type Locator, type Page } from '@playwright/test';

export interface CustomerDetails {
  type: 'Takeaway' | 'Delivery';
  name: string;
  address?: string;
  phone?: string;
}

/** "New takeaway or delivery": who the order is for, before its dishes. */
export class CustomerForm {
  readonly form: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByRole('form', { name: /^(New takeaway or delivery|Who is it for\?)$/ });
  }

  field(label: 'Customer name' | 'Delivery address' | 'Phone'): Locator {
    return this.form.getByRole('textbox', { name: label });
  }

  async fill({ type, name, address, phone }: CustomerDetails): Promise<void> {
    await this.form.getByRole('radio', { name: type }).check();
    await this.field('Customer name').fill(name);
    if (address !== undefined) await this.field('Delivery address').fill(address);
    if (phone !== undefined) await this.field('Phone').fill(phone);
  }

  async submit(): Promise<void> {
    await this.form.getByRole('button', { name: 'Choose dishes' }).click();
  }

  /** The field is marked invalid and says why. */
  async expectError(label: 'Customer name' | 'Delivery address' | 'Phone', message: string): Promise<void> {
    await expect(this.field(label)).toHaveAttribute('aria-invalid', 'true');
    await expect(this.field(label)).toHaveAccessibleDescription(message);
  }
}
