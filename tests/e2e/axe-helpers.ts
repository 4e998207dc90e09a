import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, waitForHydration } from "./helpers";

// axe-core against WCAG 2.1 A and AA, and the 320 px reflow check (WCAG 1.4.10): shared by the
// accessibility journey and the specs of pages built later.

export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
export const NARROW = { width: 320, height: 800 };

/** axe's findings as "rule: selector" lines, so a failure names what to fix and where. */
export async function axeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return violations.flatMap((v) =>
    v.nodes.map((node) => `${v.id} (${v.impact ?? "?"}, ${v.help}): ${node.target.join(" ")}`),
  );
}

/** Width of the page beyond the viewport, and the elements that stick out, for the message. */
export async function overflow(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll<HTMLElement>("body *")]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${[...el.classList].join(".")}`);
    return { scrollWidth: document.documentElement.scrollWidth, wide };
  });
}

/** The checks every page gets, at the desktop width then at 320 px. */
export async function checkPage(page: Page) {
  await waitForHydration(page);
  expect(await axeViolations(page), `axe violations on ${page.url()}`).toEqual([]);
  await expect(page.getByRole("link", { name: "Contenu", exact: true })).toHaveAttribute("href", "#contenu");
  await expect(page.locator("main#contenu")).toHaveCount(1);

  await page.setViewportSize(NARROW);
  const { scrollWidth, wide } = await overflow(page);
  expect(scrollWidth, `horizontal scroll at 320 px on ${page.url()}; too wide: ${wide.join(", ")}`).toBeLessThanOrEqual(
    NARROW.width,
  );
  expect(await axeViolations(page), `axe violations at 320 px on ${page.url()}`).toEqual([]);
  await expect(page.getByRole("link", { name: "Contenu", exact: true })).toBeAttached();
}
